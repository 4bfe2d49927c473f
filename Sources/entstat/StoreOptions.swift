import ArgumentParser
import EntStat

/// Options shared by every subcommand that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Magasin SQLite à utiliser.", valueName: "CHEMIN"))
    var db: String = "entstat.sqlite"
}
