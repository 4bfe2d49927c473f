/// The most frequent reason of a file's rejected lines, which the failure of a file over the
/// 5 % threshold names (the reject sample of a failed file is rolled back with it).
public struct RejectReason: Equatable, Sendable {
    /// The first rejection of that reason (its wording names the field or offset).
    public var rejection: LineRejection
    /// How many lines were rejected for it.
    public var lines: Int
    /// The number of the first of them.
    public var firstLine: Int
    /// True when no line of the file parsed: a reason that only says "not of this format"
    /// then means the file may be no log at all.
    public var noLineParsed: Bool

    /// The reason `rejection`, met on `lines` lines from line `firstLine` on.
    public init(rejection: LineRejection, lines: Int, firstLine: Int, noLineParsed: Bool) {
        self.rejection = rejection
        self.lines = lines
        self.firstLine = firstLine
        self.noLineParsed = noLineParsed
    }

    /// What to do about it, in French (the caller adds ", puis relancez").
    var advice: String {
        switch rejection {
        case .dateOutOfRange, .dateInFuture:
            return "vérifiez l'horloge du serveur qui a écrit ce journal"
        case .carriageReturn:
            return "fins de ligne CR seules (ancien format Mac) ? convertissez-les en LF ou CRLF"
        case .textAfterUserAgent, .secondRecord:
            return "deux enregistrements par ligne, des fins de ligne manquent : recopiez le fichier depuis le serveur"
        case .tooLong:
            return "vérifiez qu'il s'agit bien d'un journal texte, un enregistrement par ligne"
        default:
            return rejection.isFormatMismatch && noLineParsed
                ? "vérifiez qu'il s'agit bien d'un journal d'accès ou d'événements"
                : "recopiez le fichier depuis le serveur, ou corrigez ou retirez ces lignes"
        }
    }
}
