import ArgumentParser
import EntStat
#if canImport(Glibc)
import Glibc
#endif

/// Options of the subcommands that write to the store (`ingest`, `purge`, `rotate-secret`):
/// the secret file and how long to wait for another writer.
struct StoreWriterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Fichier secret de pseudonymisation (créé au premier usage, mode 0600). Par défaut : le chemin du magasin, son extension remplacée par .secret (entstat.sqlite → entstat.secret ; sans extension, .secret est ajouté).", valueName: "CHEMIN"))
    var secret: String?

    @Option(name: .customLong("lock-timeout"), parsing: .unconditional, help: ArgumentHelp("Attente maximale, en secondes, quand un autre entstat écrit dans le magasin.", valueName: "SECONDES"))
    var lockTimeout: Int = 600

    func validate() throws {
        guard lockTimeout >= 0 else { throw ValidationError("--lock-timeout doit être positif ou nul") }
    }

    /// Opens the store at `db` for writing, saying on stderr when it must wait for another
    /// writer, and when the store is new: a typo in `--db` would otherwise create folders, a
    /// store and a secret without a word (said even when `quiet`: it happens once).
    /// Upgrading an existing store says each schema migration on a terminal, unless `quiet`
    /// (a large store takes a minute); a new store runs them all from the first, silently.
    /// `activity` is what `entstat status` says is at work meanwhile (« une purge »).
    func open(_ db: String, quiet: Bool = false, activity: String) throws -> Store {
        var created: NewStore?
        return try open(db, quiet: quiet, activity: activity, created: &created)
    }

    /// A store this command created, and whether it created its secret too: what to remove
    /// when the command fails before storing anything, so that a refused first run leaves
    /// no empty store behind (nor a secret nothing was pseudonymised with).
    struct NewStore {
        var db: String
        var secretPath: String
        var secretCreated: Bool

        /// Removes the store's files (and the secret when this command created it); the
        /// store must be closed.
        func remove() {
            for path in [db, db + "-wal", db + "-shm", db + ".lock"] + (secretCreated ? [secretPath] : []) { unlink(path) }
        }
    }

    /// The same, setting `created` when the store is new.
    func open(_ db: String, quiet: Bool = false, activity: String, created new: inout NewStore?) throws -> Store {
        let secretPath = secret ?? Store.defaultSecretPath(forStore: db)
        let secretExisted = access(secretPath, F_OK) == 0
        var created = false
        let store = try Store(writingTo: db, secretPath: secretPath, lockTimeoutSeconds: lockTimeout, activity: activity,
                              onWait: { Console.warning("\(db) : un autre entstat écrit dans ce magasin ; attente (au plus \(lockTimeout) s)…") },
                              onMigration: { migration in
                                  if migration.version == 1 { created = true }
                                  guard !created else { return }
                                  let line = "\(db) : mise à jour du schéma du magasin (\(migration.version) : \(migration.name))…"
                                  if Console.stderrIsTerminal && !quiet { Console.write(2, "entstat: \(Console.printable(line))\n") } else { Console.info(line) }
                              })
        if created {
            new = NewStore(db: db, secretPath: secretPath, secretCreated: !secretExisted)
            Console.write(2, "entstat: \(Console.printable("nouveau magasin créé : \(db) (secret \(secretExisted ? "existant " : "")\(secretPath))"))\n")
        }
        return store
    }
}
