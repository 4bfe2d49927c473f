/// What can go wrong with the store as a whole (as opposed to one input file).
public enum StoreError: Error, CustomStringConvertible {
    /// The store's schema (`found`) is newer than this build knows (`supported`).
    case newerSchema(path: String, found: Int, supported: Int)
    /// The secret file is not the store's secret.
    case secretMismatch(secretPath: String, storePath: String)
    /// The secret file gives its group or others some access (`mode`: its permission bits).
    case secretUnsafe(path: String, mode: UInt32)
    /// The secret file is missing, not a file or unreadable; `reason` says which.
    case secretUnreadable(path: String, reason: String)
    /// The secret file is `empty`, or its first line is not the 64 hexadecimal digits
    /// entstat writes: damaged, or not a secret file.
    case secretMalformed(path: String, empty: Bool)
    /// Another entstat held the store's lock for more than `seconds`.
    case lockTimeout(path: String, seconds: Int)
    /// The lock could not be taken, or a folder of the store's path not created (the line
    /// then says to check the folder or give another path).
    case lockFailed(path: String, reason: String)
    /// A reader found figures not yet computed (an ingest running or interrupted).
    case pendingWork(path: String)
    /// The path given as the store is not one: a folder, or an SQLite database of another
    /// application (nothing was written to it).
    case notAStore(path: String, reason: String)
    /// A value of the store that entstat never writes (damage on disk, an edit by hand),
    /// found where it would have made a figure wrong or stopped the program.
    case damaged(path: String, table: String, reason: String)
    /// A reader who may not write in the store's folder, and the write-ahead log files
    /// SQLite needs to read it are not there (a store last written by an older entstat).
    case readOnlyFolderWithoutLog(path: String)
    /// A reader found the rollback journal a writer killed while it created the store left
    /// (`Store.leftAHotJournal`): only a writer may play it back.
    case interruptedCreation(path: String)
    /// A writer that may not write the store's file, its write-ahead log or its folder:
    /// found before anything is read, rather than when the first row is written.
    case notWritable(path: String, file: String)
    /// The rules file's new feature names would take the store past the feature ids a
    /// timeline entry holds (`TimelineEntry.maxFeatureID`); nothing was created.
    case tooManyFeatures(path: String, stored: Int, new: Int)

    /// The line: the store (or the secret) named, then the reason.
    public var description: String { ErrorLine.format(file, reason) }

    /// The file the error is about: the store, or the secret file.
    public var file: String {
        switch self {
        case .secretMismatch(let secret, _): return secret
        case .newerSchema(let path, _, _), .secretUnsafe(let path, _), .secretUnreadable(let path, _), .secretMalformed(let path, _), .lockTimeout(let path, _),
             .lockFailed(let path, _), .pendingWork(let path), .notAStore(let path, _), .damaged(let path, _, _),
             .readOnlyFolderWithoutLog(let path), .interruptedCreation(let path), .notWritable(let path, _), .tooManyFeatures(let path, _, _):
            return path
        }
    }

    /// What went wrong and what to do, without the file's name (for a line that names it
    /// already).
    public var reason: String {
        switch self {
        case .newerSchema(_, let found, let supported):
            return "le magasin est au schéma \(found), cette version d'entstat ne connaît que le schéma \(supported) : mettez entstat à jour"
        case .secretMismatch(_, let store):
            return "ce secret n'est pas celui qui a servi à créer \(store) ; indiquez le bon fichier avec --secret"
        case .secretUnsafe(let path, let mode):
            return "le fichier secret est lisible par d'autres (mode \(String(mode, radix: 8))) ; faites « chmod 600 \(path) »"
        case .secretUnreadable(_, let reason):
            return "lecture du secret impossible (\(reason))"
        case .secretMalformed(_, let empty):
            // A new secret would give every user a new pseudonym: the store refuses it.
            return (empty ? "fichier secret vide" : "fichier secret au contenu inattendu (64 chiffres hexadécimaux attendus sur la première ligne)")
                + " ; restaurez-le depuis une sauvegarde, ou indiquez le bon fichier avec --secret ; n'en créez pas un autre : les pseudonymes déjà enregistrés ne correspondraient plus"
        case .lockTimeout(_, let seconds):
            return "un autre entstat écrit dans ce magasin depuis plus de \(seconds) s ; réessayez plus tard ou augmentez --lock-timeout"
        case .lockFailed(_, let reason):
            return "verrouillage impossible (\(reason)) ; vérifiez que le dossier du magasin existe et que ce compte peut y écrire, ou donnez un autre chemin avec --db"
        case .damaged(_, let table, let reason):
            return "magasin endommagé, table \(table) : \(reason) ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux"
        case .notAStore(_, let reason):
            return "\(reason) ; rien n'y a été écrit, donnez un autre chemin avec --db"
        case .notWritable(_, let file):
            return "magasin en lecture seule pour cet utilisateur (\(file) n'est pas accessible en écriture) ; lancez la commande sous le compte propriétaire du magasin ou corrigez ses droits"
        case .readOnlyFolderWithoutLog(let path):
            return "lecture impossible depuis un dossier où vous ne pouvez pas écrire tant que ses fichiers \(path)-wal et \(path)-shm n'existent pas ; lancez une fois « entstat ingest --db \(path) » sous le compte propriétaire du magasin (entstat les laisse ensuite en place pour les lecteurs)"
        case .interruptedCreation(let path):
            return "magasin dont la création a été interrompue (son journal \(path)-journal est resté) ; lancez « entstat ingest --db \(path) » : il le remet en état avant d'écrire"
        case .tooManyFeatures(_, let stored, let new):
            return "le magasin connaît déjà \(FrenchText.count(stored, "nom", "noms")) de fonctionnalité et les règles en ajoutent \(FrenchText.integer(new)), au-delà des \(FrenchText.integer(TimelineEntry.maxFeatureID)) qu'il peut tenir ; donnez dans le fichier de règles des noms que le magasin connaît déjà (table feature)"
        case .pendingWork(let path):
            return "le calcul des indicateurs n'est pas terminé (ingestion en cours ou interrompue) ; attendez la fin de l'ingestion ou lancez « entstat ingest --db \(path) » pour le terminer"
        }
    }
}
