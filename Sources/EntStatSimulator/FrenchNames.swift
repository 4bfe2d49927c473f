/// Word lists for believable commune, EPCI and school names.
enum FrenchNames {
    /// Real communes of the Somme (the first two keep their real INSEE codes).
    static let sommeCommunes: [(String, String?)] = [
        ("Amiens", "80021"), ("Abbeville", "80001"), ("Albert", nil), ("Péronne", nil),
        ("Montdidier", nil), ("Doullens", nil), ("Ham", nil), ("Roye", nil), ("Corbie", nil),
        ("Friville-Escarbotin", nil), ("Rue", nil), ("Saint-Valery-sur-Somme", nil),
        ("Le Crotoy", nil), ("Moreuil", nil), ("Poix-de-Picardie", nil), ("Flixecourt", nil),
        ("Longueau", nil), ("Camon", nil), ("Rivery", nil), ("Salouël", nil), ("Dury", nil),
        ("Villers-Bretonneux", nil), ("Nesle", nil), ("Chaulnes", nil), ("Bray-sur-Somme", nil),
        ("Ailly-sur-Somme", nil), ("Airaines", nil), ("Oisemont", nil), ("Gamaches", nil),
        ("Feuquières-en-Vimeu", nil), ("Fressenneville", nil), ("Mers-les-Bains", nil),
        ("Ault", nil), ("Hallencourt", nil), ("Conty", nil), ("Ailly-sur-Noye", nil),
        ("Boves", nil), ("Quevauvillers", nil), ("Hornoy-le-Bourg", nil),
        ("Crécy-en-Ponthieu", nil), ("Nouvion", nil), ("Bernaville", nil),
        ("Acheux-en-Amiénois", nil), ("Villers-Bocage", nil), ("Domart-en-Ponthieu", nil),
        ("Picquigny", nil), ("Molliens-Dreuil", nil), ("Rosières-en-Santerre", nil),
        ("Harbonnières", nil), ("Combles", nil), ("Roisel", nil), ("Moislains", nil),
        ("Beauval", nil), ("Pont-Remy", nil), ("Long", nil), ("Cayeux-sur-Mer", nil),
        ("Quend", nil), ("Fort-Mahon-Plage", nil), ("Saleux", nil), ("Pont-de-Metz", nil),
    ]

    /// EPCIs of the Somme (14).
    static let sommeEpcis = [
        "CA Amiens Métropole", "CA de la Baie de Somme", "CC Ponthieu-Marquenterre",
        "CC du Vimeu", "CC Somme Sud-Ouest", "CC Nièvre et Somme", "CC du Territoire Nord Picardie",
        "CC du Pays du Coquelicot", "CC Avre Luce Noye", "CC Terre de Picardie",
        "CC de l'Est de la Somme", "CC du Grand Roye", "CC du Val de Somme", "CC des Villes Sœurs",
    ]

    static let stems = [
        "Villers", "Beaucourt", "Fontaine", "Hangest", "Mesnil", "Bouchavesnes", "Hardecourt",
        "Morcourt", "Méricourt", "Bussy", "Cerisy", "Heudicourt", "Vaux", "Belloy", "Érondelle",
        "Fouencamps", "Guyencourt", "Hamel", "Louvencourt", "Marcelcave", "Naours", "Oresmaux",
        "Querrieu", "Ribemont", "Sailly", "Thézy", "Vignacourt", "Warloy", "Yzeux", "Épehy",
        "Bertangles", "Coisy", "Démuin", "Englebelmer", "Franvillers", "Grivesnes", "Huppy",
        "Lanchères", "Mareuil", "Neuville", "Omiécourt", "Proyart", "Rainneville", "Saint-Ouen",
        "Saint-Sauveur", "Sainte-Segrée", "Tœufles", "Valines", "Woignarue", "Béthencourt",
    ]

    static let suffixes = [
        "", "-sur-Somme", "-en-Santerre", "-le-Sec", "-en-Vimeu", "-lès-Corbie", "-sur-Noye",
        "-en-Amiénois", "-le-Haut", "-sur-Ancre", "-l'Abbaye", "-Bocage", "-aux-Bois", "-le-Grand",
        "-lès-Roye", "-sur-Authie", "-en-Ponthieu", "-la-Chaussée",
    ]

    static let dedications = [
        "Jules Ferry", "Jean Jaurès", "Victor Hugo", "Jean Moulin", "Louise Michel", "Marie Curie",
        "Jacques Prévert", "Jean de La Fontaine", "Paul Bert", "Anatole France", "Jean Macé",
        "Condorcet", "Simone Veil", "Albert Camus", "Saint-Exupéry", "Louis Pasteur", "Jules Verne",
        "Charles Perrault", "Françoise Dolto", "Robert Desnos", "Paul Éluard", "Marcel Pagnol",
        "Jean Zay", "Les Coquelicots", "Les Tilleuls", "Les Hirondelles", "Le Petit Prince",
        "Les Lilas", "Arc-en-ciel", "Les Marronniers", "La Hotoie", "Le Bois Joli", "Les Peupliers",
        "du Centre", "Les Glycines", "Sainte-Thérèse", "Les Écureuils", "La Source",
    ]

    /// Tricky names placed on a few schools so escaping is exercised everywhere.
    static let tricky = [
        "Groupe scolaire Jean Moulin; site des Tilleuls",
        "École \"Les P'tits Loups\"",
        "École Pierre & Marie Curie",
        "Groupe scolaire <Arc-en-ciel>",
    ]

    /// Other French départements used beyond the Somme's size (code, name used in EPCIs).
    static let departements = [
        "80", "02", "60", "62", "59", "76", "27", "51", "08", "10", "14", "50", "61", "35", "22",
        "29", "56", "44", "49", "53", "72", "37", "41", "45", "28", "18", "36", "86", "79", "85",
        "17", "16", "87", "23", "19", "24", "33", "40", "47", "64", "65", "32", "31", "82", "46",
        "12", "81", "09", "11", "66", "34", "30", "48", "07", "26", "84", "13", "83", "06", "04",
        "05", "38", "73", "74", "01", "69", "42", "43", "15", "63", "03", "58", "71", "21", "39",
        "25", "70", "90", "68", "67", "57", "54", "55", "88", "52", "89", "77", "91", "78", "95",
        "93", "92", "94", "75",
    ]
}
