/// A rotation of the secret committed, its new secret in place, whose rewrite of the store
/// (`VACUUM`, which needs about the store's size free on its disk) then failed: the old
/// pseudonyms may survive in the store's free pages until it is rewritten. Carries what the
/// rotation did, so that the command can say it took effect before saying what is left.
public struct RotationRewriteError: Error, CustomStringConvertible {
    /// The store's path.
    public let path: String
    /// What the rotation did (sealed identities, accounts pseudonymised anew); nil when
    /// the failed rewrite was that of an earlier rotation, done again.
    public let rotation: Store.RotationResult?
    /// Why the rewrite failed (a full disk, most often).
    public let cause: Error

    /// The failure (`cause`) of the rewrite of the store at `path` after `rotation`, or
    /// after an earlier rotation when nil.
    init(path: String, rotation: Store.RotationResult?, cause: Error) {
        self.path = path
        self.rotation = rotation
        self.cause = cause
    }

    /// What the store's line says after the store's name, without it.
    public var reason: String {
        return (rotation.map { _ in "rotation validée et nouveau secret en place, mais " } ?? "")
            + "réécriture du magasin impossible (\(cause)) : des copies des anciens pseudonymes peuvent rester dans ses pages libres ; "
            + "libérez sur son disque au moins la taille du magasin, puis relancez la même commande : elle réécrit le magasin sans changer de secret"
    }

    /// The line: the store named, then the reason.
    public var description: String { ErrorLine.format(path, reason) }
}
