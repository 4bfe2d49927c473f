/// Why a log file contributed nothing (SPEC §4): each case names the position and says
/// what to do.
public enum FileFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened (or was a folder where no log could be read).
    case cannotOpen(reason: String)
    /// Reading the file failed at this byte offset.
    case readFailed(offset: Int, reason: String)
    /// The gzip data ends inside a member: the file was cut.
    case truncatedGzip(offset: Int)
    /// zlib rejected the gzip data at this compressed offset.
    case corruptGzip(offset: Int, reason: String)
    /// Bytes after the last gzip member are not another gzip member.
    case trailingGarbage(offset: Int)
    /// The file starts with the magic bytes of a compression other than gzip.
    case otherCompression(DecodedByteStream.Compression)
    /// A gzip member (starting at this compressed offset) whose content is gzip again.
    case gzipInsideGzip(offset: Int)
    /// More than `LogIngester.Options.rejectThreshold` (5 %) of the non-blank lines were
    /// rejected; `mostFrequent` is the reason met most often.
    case tooManyRejects(rejected: Int, lines: Int, firstRejectedLine: Int, mostFrequent: RejectReason)
    /// The file could not be written into the store, or its parse was cut short.
    case store(message: String)
    /// A name that is not valid UTF-8, which no path the tool handles can open: met in a
    /// folder or a pattern (`found`), a file or a folder; or a name given that does not
    /// exist and holds U+FFFD, which the command line makes of bytes that are not UTF-8.
    case nameNotUTF8(isFolder: Bool, found: Bool)

    /// The line's place and message: `PLACE : MESSAGE` (the caller names the file).
    public var description: String { "\(position) : \(reason)" }

    /// What went wrong and what to do, without the place.
    public var reason: String {
        switch self {
        case .cannotOpen(let reason):
            return "ouverture impossible (\(reason)) ; vérifiez le chemin et les droits"
        case .readFailed(_, let reason):
            return "lecture interrompue (\(reason)) ; relancez quand le disque est lisible"
        case .truncatedGzip:
            return "gzip tronqué (fin de fichier au milieu d'un membre) ; recopiez le fichier complet puis relancez"
        case .corruptGzip(_, let reason):
            return "gzip corrompu (\(reason)) ; recopiez le fichier depuis le serveur puis relancez"
        case .trailingGarbage:
            return "données non gzip après le dernier membre ; recopiez le fichier puis relancez"
        case .otherCompression(let compression):
            return "\(compression.frenchName), qu'entstat ne lit pas (seul gzip est lu) ; \(compression.frenchAdvice), puis relancez"
        case .gzipInsideGzip:
            return "gzip dans un gzip (le contenu décompressé est encore compressé en gzip) ; décompressez-le une fois (gunzip) pour garder un seul gzip, puis relancez"
        case .tooManyRejects(let rejected, let lines, _, let reason):
            return "\(rejected) \(rejected == 1 ? "ligne illisible" : "lignes illisibles") sur \(lines) (plus de 5 %) ; "
                + "motif le plus fréquent : \(reason.rejection) (\(reason.lines == 1 ? "1 ligne" : "\(reason.lines) lignes"), la première à la ligne \(reason.firstLine)) ; "
                + "\(reason.advice), puis relancez"
        case .store(let message):
            return "écriture dans le magasin impossible (\(message)) ; rien n'a été enregistré pour ce fichier, relancez"
        case .nameNotUTF8(isFolder: false, found: true):
            return "nom de fichier qui n'est pas de l'UTF-8 valide (octets invalides montrés \\xHH), entstat ne peut pas l'ouvrir ; renommez-le en UTF-8 (par exemple avec « convmv -f latin1 -t utf-8 ») puis relancez"
        case .nameNotUTF8(isFolder: true, found: true):
            return "nom de dossier qui n'est pas de l'UTF-8 valide (octets invalides montrés \\xHH), ses journaux ne peuvent pas être lus ; renommez-le en UTF-8 (par exemple avec « convmv -f latin1 -t utf-8 ») puis relancez"
        case .nameNotUTF8(_, found: false):
            return "introuvable ; son nom n'est probablement pas de l'UTF-8 valide (« \u{FFFD} » remplace les octets invalides) : renommez le fichier en UTF-8 (par exemple avec « convmv -f latin1 -t utf-8 »), ou donnez le dossier qui le contient pour qu'il y soit nommé, puis relancez"
        }
    }

    /// The position the failure refers to, for one-line error messages.
    public var position: String {
        switch self {
        case .cannotOpen, .store, .nameNotUTF8: return "-"
        case .readFailed(let o, _), .truncatedGzip(let o), .corruptGzip(let o, _), .trailingGarbage(let o), .gzipInsideGzip(let o): return "octet \(o)"
        case .otherCompression: return "octet 0"
        case .tooManyRejects(_, _, let line, _): return "ligne \(line)"
        }
    }
}

extension DecodedByteStream.Compression {
    /// What the file is, in French.
    var frenchName: String {
        switch self {
        case .bzip2: return "fichier compressé en bzip2"
        case .xz: return "fichier compressé en xz"
        case .zstd: return "fichier compressé en zstd"
        case .zip: return "archive zip"
        }
    }

    /// How to make it readable, in French.
    var frenchAdvice: String {
        switch self {
        case .bzip2: return "décompressez-le (bunzip2) ou recompressez-le en gzip (bzip2 -dc f.bz2 | gzip > f.gz)"
        case .xz: return "décompressez-le (unxz) ou recompressez-le en gzip (xz -dc f.xz | gzip > f.gz)"
        case .zstd: return "décompressez-le (unzstd) ou recompressez-le en gzip (zstd -dc f.zst | gzip > f.gz)"
        case .zip: return "extrayez-en les journaux (unzip) et donnez-les tels quels ou recompressés en gzip"
        }
    }
}

// The input layer's failures, worded as the file failures they become.

extension DecodedByteStream.Failure: CustomStringConvertible {
    /// The French one-line message, position first (the caller names the file).
    public var description: String { LogFileParser.failure(from: self).description }
}

extension ByteReader.Failure: CustomStringConvertible {
    /// The French one-line message, naming the file.
    public var description: String {
        switch self {
        case .cannotOpen(let path, _), .readFailed(let path, _, _):
            let failure = LogFileParser.failure(from: self)
            return ErrorLine.format(path, failure.position, failure.reason)
        case .isFolder(let path): return ErrorLine.format(path, "c'est un dossier, un fichier est attendu ; vérifiez le chemin")
        }
    }
}
