import ArgumentParser
import EntStat

/// Options of the subcommands that write to the store (`ingest`, `purge`, `rotate-secret`):
/// the secret file and how long to wait for another writer.
struct StoreWriterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Fichier secret de pseudonymisation (créé au premier usage, mode 0600). Par défaut : <magasin>.secret sans l'extension.", valueName: "chemin"))
    var secret: String?

    @Option(name: .customLong("lock-timeout"), parsing: .unconditional, help: ArgumentHelp("Attente maximale, en secondes, quand un autre entstat écrit dans le magasin.", valueName: "secondes"))
    var lockTimeout: Int = 600

    func validate() throws {
        guard lockTimeout >= 0 else { throw ValidationError("--lock-timeout doit être positif ou nul") }
    }

    /// Opens the store at `db` for writing, saying on stderr when it must wait for another writer.
    func open(_ db: String) throws -> Store {
        try Store(writingTo: db, secretPath: secret ?? Store.defaultSecretPath(forStore: db), lockTimeoutSeconds: lockTimeout,
                  onWait: { Console.warning("\(db) : un autre entstat écrit dans ce magasin ; attente (au plus \(lockTimeout) s)…") },
                  onMigration: { migration in
                      // Shown on a terminal (a large store takes a minute); in the log otherwise.
                      let line = "\(db) : mise à jour du schéma du magasin (\(migration.version) : \(migration.name))…"
                      if Console.stderrIsTerminal { Console.write(2, "entstat: \(Console.printable(line))\n") } else { Console.info(line) }
                  })
    }
}
