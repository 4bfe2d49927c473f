#if canImport(Glibc)
import Glibc
#endif

/// The French wording of a system error (`errno`) for the one-line messages of the tool:
/// `strerror` speaks English under the C locale a cron job runs in.
public enum SystemErrorText {
    /// The message for `code`; an unusual code gets the system's text and its number.
    public static func french(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "fichier ou dossier introuvable"
        case EACCES, EPERM: return "permission refusée"
        case EISDIR: return "c'est un dossier"
        case ENOTDIR: return "un élément du chemin n'est pas un dossier"
        case ENOSPC: return "plus de place sur le disque"
        case EDQUOT: return "quota disque dépassé"
        case EROFS: return "système de fichiers en lecture seule"
        case EIO: return "erreur d'entrée-sortie du disque"
        case EMFILE, ENFILE: return "trop de fichiers ouverts"
        case ENAMETOOLONG: return "chemin trop long"
        case ELOOP: return "trop de liens symboliques"
        case EFBIG: return "fichier trop gros"
        case ENOMEM: return "mémoire insuffisante"
        case EPIPE: return "tube fermé par le lecteur"
        default: return "\(String(cString: strerror(code))), errno \(code)"
        }
    }

    /// The message for the current `errno`.
    public static func current() -> String { french(errno) }
}
