/// What can go wrong with the store as a whole (as opposed to one input file).
public enum StoreError: Error, CustomStringConvertible {
    case newerSchema(path: String, found: Int, supported: Int)
    case secretMismatch(secretPath: String, storePath: String)
    case secretUnsafe(path: String, mode: UInt32)
    case secretUnreadable(path: String, reason: String)
    case lockTimeout(path: String, seconds: Int)
    case lockFailed(path: String, reason: String)
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
    /// A writer that may not write the store's file, its write-ahead log or its folder:
    /// found before anything is read, rather than when the first row is written.
    case notWritable(path: String, file: String)
    /// The rules file's new feature names would take the store past the feature ids a
    /// timeline entry holds (`TimelineEntry.maxFeatureID`); nothing was created.
    case tooManyFeatures(path: String, stored: Int, new: Int)

    public var description: String {
        switch self {
        case .newerSchema(let path, let found, let supported):
            return "\(path) : le magasin est au schéma \(found), cette version d'entstat ne connaît que le schéma \(supported) : mettez entstat à jour"
        case .secretMismatch(let secret, let store):
            return "\(secret) : ce secret n'est pas celui qui a servi à créer \(store) ; indiquez le bon fichier avec --secret"
        case .secretUnsafe(let path, let mode):
            return "\(path) : le fichier secret est lisible par d'autres (mode \(String(mode, radix: 8))) ; faites « chmod 600 \(path) »"
        case .secretUnreadable(let path, let reason):
            return "\(path) : lecture du secret impossible (\(reason))"
        case .lockTimeout(let path, let seconds):
            return "\(path) : un autre entstat écrit dans ce magasin depuis plus de \(seconds) s ; réessayez plus tard ou augmentez --lock-timeout"
        case .lockFailed(let path, let reason):
            return "\(path) : verrouillage impossible (\(reason))"
        case .damaged(let path, let table, let reason):
            return "\(path) : magasin endommagé, table \(table) : \(reason) ; restaurez une sauvegarde ou reconstruisez-le depuis les journaux"
        case .notAStore(let path, let reason):
            return "\(path) : \(reason) ; rien n'y a été écrit, donnez un autre chemin avec --db"
        case .notWritable(let path, let file):
            return "\(path) : magasin en lecture seule pour cet utilisateur (\(file) n'est pas accessible en écriture) ; lancez la commande sous le compte propriétaire du magasin ou corrigez ses droits"
        case .readOnlyFolderWithoutLog(let path):
            return "\(path) : lecture impossible depuis un dossier où vous ne pouvez pas écrire tant que ses fichiers \(path)-wal et \(path)-shm n'existent pas ; lancez une fois « entstat ingest --db \(path) » sous le compte propriétaire du magasin (entstat les laisse ensuite en place pour les lecteurs)"
        case .tooManyFeatures(let path, let stored, let new):
            return "\(path) : le magasin connaît déjà \(FrenchText.count(stored, "nom", "noms")) de fonctionnalité et les règles en ajoutent \(FrenchText.integer(new)), au-delà des \(FrenchText.integer(TimelineEntry.maxFeatureID)) qu'il peut tenir ; donnez dans le fichier de règles des noms que le magasin connaît déjà (table feature)"
        case .pendingWork(let path):
            return "\(path) : le calcul des indicateurs n'est pas terminé (ingestion en cours ou interrompue) ; attendez la fin de l'ingestion ou lancez « entstat ingest --db \(path) » pour le terminer"
        }
    }
}
