import ArgumentParser
import EntStat

/// `entstat rotate-secret`: replaces the pseudonymisation secret, making every existing
/// pseudonym unlinkable (RGPD).
struct RotateSecretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-secret",
        abstract: "Change le secret de pseudonymisation et scelle les identités existantes.",
        discussion: """
        Chaque identité déjà dans le magasin est scellée : son pseudonyme est remplacé par des \
        octets aléatoires, et elle reste pour toujours liée à la même personne, \
        avec son rattachement à l'annuaire, son rôle et ses écoles, si bien que les chiffres des périodes passées ne \
        changent pas. L'annuaire (--accounts, obligatoire) est pseudonymisé de nouveau avec le \
        nouveau secret ; l'ancien secret est effacé.

        Conséquence : un utilisateur revu après la rotation est une nouvelle identité ; dans \
        une période qui chevauche la rotation, il compte deux fois. Faites la rotation à une \
        frontière de période (une année scolaire), juste après « entstat purge ».

        Si la commande est interrompue entre la validation dans le magasin et le remplacement du fichier \
        secret, la prochaine ouverture du magasin termine le remplacement.

        Après la validation, le magasin est réécrit en entier (VACUUM, qui demande sur son \
        disque environ la taille du magasin) pour qu'aucune copie des anciens pseudonymes ne \
        reste dans ses pages libres. Si cette réécriture échoue (disque plein) ou est \
        interrompue, « entstat status » le signale (code 3) et la même commande, relancée, \
        réécrit seulement le magasin, sans changer de secret.

        CODES DE SORTIE : 0 rotation faite (ou réécriture terminée) ; 1 erreur d'usage, \
        d'annuaire ou de magasin, ou rotation validée dont la réécriture a échoué.
        """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var writer: StoreWriterOptions

    @OptionGroup var log: LogLevelOption

    @Option(help: ArgumentHelp("Annuaire des comptes de l'ENT (accounts.csv), pseudonymisé avec le nouveau secret.", valueName: "FICHIER"))
    var accounts: String

    @Flag(name: .customLong("allow-shrink"), help: "Accepte un annuaire qui compte moins de la moitié des comptes du chargement précédent ; sans cette option, il est refusé comme probablement tronqué, et rien n'est changé.")
    var allowShrink = false

    func run() throws {
        log.apply()
        InterruptNotice.install { signal in
            ErrorLine.format(store.db, "changement de secret interrompu (signal \(signal)) : il est validé en entier ou pas du tout, "
                + "et la prochaine commande qui ouvre le magasin termine le remplacement du fichier secret d'un changement validé ; "
                + "relancez la commande pour réécrire le magasin sans copie des anciens pseudonymes")
        }
        do {
            let opened = try writer.open(store.db, activity: "un changement de secret")
            if let rotatedAt = try opened.rotationRewritePending() {
                // The last rotation committed but the store was not rewritten after it (a
                // full disk, a kill): that rewrite, and no new secret (the same command run
                // again must not move the rotation's boundary to another day).
                let line = Progress.start(phase: "réécriture du magasin…")
                defer { line?.finish() }
                try opened.rewriteAfterRotation()
                line?.finish()
                Console.out("réécriture : magasin réécrit, la rotation du \(ParisTime.text(utc: rotatedAt)) est complète ; "
                    + "aucun nouveau secret, l'annuaire donné n'a pas été relu")
                return
            }
            // On a terminal, a line while the identities are sealed and the directory read
            // again (a national one takes minutes).
            let line = Progress.start(phase: "rotation du secret : identités scellées, annuaire pseudonymisé de nouveau…")
            defer { line?.finish() }
            let result = try opened.rotateSecret(accountsPath: accounts, allowShrink: allowShrink)
            line?.finish()
            summarize(result)
        } catch let unfinished as RotationRewriteError {
            // Done, but not rewritten (the progress line cleared by its `defer`): the summary
            // of what took effect, if this run rotated, then what is left.
            if let rotation = unfinished.rotation { summarize(rotation) }
            Console.error(unfinished.description)
            throw ExitCode.failure
        } catch {
            Console.storeError(store.db, error)
            throw ExitCode.failure
        }
    }

    /// The line of a rotation that took effect (after the directory's warnings).
    private func summarize(_ result: Store.RotationResult) {
        Console.referenceWarnings(result.load)
        Console.out("rotation : \(Console.count(result.sealedIdentities, "identité scellée", "identités scellées")), "
            + "\(Console.count(result.accounts, "compte pseudonymisé", "comptes pseudonymisés")) avec le nouveau secret"
            + (result.load.warningCount > 0 ? " (\(Console.count(result.load.warningCount, "avertissement")), voir ci-dessus)" : "")
            + " ; l'ancien secret est effacé")
    }
}
