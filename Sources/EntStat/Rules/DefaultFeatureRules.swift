/// The feature rules that ship with the tool (SPEC §1.5). `entstat rules` prints them so a
/// user can copy, edit and pass the file with `--rules`.
public enum DefaultFeatureRules {
    /// The rules file, in the format `FeatureRules` parses.
    public static let text = """
    # Règles de fonctionnalités d'entstat (SPEC §1.5).
    # Une règle par ligne : <fonctionnalité> path <préfixe>  ou  <fonctionnalité> module <Module>
    # Un préfixe s'applique par segments entiers (/blog couvre /blog et /blog/12, pas /blogue),
    # la chaîne de requête est ignorée ; les modules se comparent sans tenir compte de la casse.
    # Tout ce qui ne correspond à aucune règle est compté dans la fonctionnalité « autre ».
    portail          path    /accueil
    portail          module  Timeline
    portail          module  Portal
    messagerie       path    /messagerie
    messagerie       module  Conversation
    actualites       path    /actualites
    actualites       module  Actualites
    blog             path    /blog
    blog             module  Blog
    cahier_liaison   path    /cahier-liaison
    cahier_liaison   module  SchoolBook
    documents        path    /documents
    documents        module  Workspace
    agenda           path    /agenda
    agenda           module  Calendar
    mur_collaboratif path    /mur
    mur_collaboratif module  CollaborativeWall
    exercices        path    /exercices
    exercices        module  Exercizer
    cantine          path    /cantine
    cantine          module  Cantine
    transport        path    /transport
    transport        module  Transport
    periscolaire     path    /periscolaire
    periscolaire     module  Periscolaire
    annuaire         path    /annuaire
    annuaire         module  Directory
    connexion        path    /login
    connexion        path    /logout
    connexion        module  Auth

    """
}
