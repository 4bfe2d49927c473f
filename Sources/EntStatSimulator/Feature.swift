/// An ENT application, with its old-ENT URL forms and its new-ENT module name (SPEC §1.5).
enum Feature: UInt8, CaseIterable {
    case portail, messagerie, actualites, blog, cahierLiaison, documents, agenda, mur, exercices
    case cantine, transport, periscolaire, annuaire, connexion

    static let count = Feature.allCases.count

    /// Old ENT path prefix.
    var path: [UInt8] { Feature.paths[Int(rawValue)] }
    /// Old ENT sub-pages: `#` is replaced by a number.
    var subPages: [[UInt8]] { Feature.subs[Int(rawValue)] }
    /// New ENT module name.
    var module: [UInt8] { Feature.modules[Int(rawValue)] }
    /// New ENT front-end route, for referers.
    var route: [UInt8] { Feature.routes[Int(rawValue)] }

    private static let paths: [[UInt8]] = [
        "/accueil", "/messagerie", "/actualites", "/blog", "/cahier-liaison", "/documents",
        "/agenda", "/mur", "/exercices", "/cantine", "/transport", "/periscolaire", "/annuaire", "/login",
    ].map { Array($0.utf8) }

    private static let subs: [[[UInt8]]] = [
        ["", "", "?onglet=fil"],
        ["/boite", "/boite?page=#", "/message/#", "/nouveau", "/envoyes"],
        ["", "/#", "/2018/rentree-#"],
        ["", "/#", "/#/commentaires", "/classe-#"],
        ["", "/mot/#", "/mot/#/signer"],
        ["", "/dossier/#", "/fichier/#/telecharger"],
        ["", "/semaine", "/evenement/#"],
        ["/#", "/#/post-it"],
        ["", "/serie/#", "/serie/#/resultat"],
        ["", "/menus", "/menus/semaine-#", "/reservation"],
        ["", "/lignes/#", "/arrets", "/inscription"],
        ["", "/inscriptions", "/planning", "/factures/#"],
        ["/recherche?q=dupont", "/classe/#", ""],
        [""],
    ].map { $0.map { Array($0.utf8) } }

    private static let modules: [[UInt8]] = [
        "Timeline", "Conversation", "Actualites", "Blog", "SchoolBook", "Workspace", "Calendar",
        "CollaborativeWall", "Exercizer", "Cantine", "Transport", "Periscolaire", "Directory", "Auth",
    ].map { Array($0.utf8) }

    private static let routes: [[UInt8]] = [
        "/timeline/timeline", "/conversation/conversation", "/actualites", "/blog", "/schoolbook",
        "/workspace/workspace", "/calendar", "/collaborativewall", "/exercizer", "/cantine",
        "/transport", "/periscolaire", "/userbook/annuaire", "/auth/login",
    ].map { Array($0.utf8) }
}
