/// French wording and number formatting of the report: decimal comma, narrow no-break
/// space between thousands, percentages, and labels for codes (roles, levels, services).
public enum FrenchText {
    /// Narrow no-break space (thousands separator and before `%`).
    public static let thinSpace = "\u{202F}"

    /// 1 234 567
    public static func integer(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += thinSpace }
            out.append(c)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// A decimal with a comma, rounded half away from zero as the exact quotient would be
    /// (`DecimalRounding`): `0,4530`, and `0,0713` for 57/800. The report's numbers are
    /// bounded (`ReportTable.largestShown`); one too large to round this way (or not a
    /// number) is written as Swift writes it, its point made a comma (`1e+300`, `inf`).
    public static func decimal(_ value: Double, digits: Int) -> String {
        let scale = DecimalRounding.scale(digits: digits)
        let rounded = DecimalRounding.scaledMagnitude(value, scale: scale)
        guard rounded < 0x1p62 else { return unrounded(value) }
        let scaled = Int(rounded)
        let p = Int(scale)
        let whole = scaled / p
        var out = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if digits > 0 { out += "," + String(scaled % p).leftPadded(to: digits) }
        return out
    }

    /// A number as Swift writes it, its point made a comma (`1e+300`, `-inf`, `2,5`): for a
    /// number too large to round, in a cell or in the message that refuses it.
    static func unrounded(_ value: Double) -> String {
        String(String(value).map { $0 == "." ? "," : $0 })
    }

    /// A decimal for display, with thousands separators: `1 234,5`.
    public static func displayDecimal(_ value: Double, digits: Int) -> String {
        let text = decimal(abs(value), digits: digits)
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        // (No whole part to group for a number `decimal` could not round.)
        guard let whole = Int(parts[0]).map(integer) else { return (value < 0 ? "−" : "") + text }
        return (value < 0 && text != decimal(0, digits: digits) ? "−" : "") + whole + (parts.count > 1 ? "," + parts[1] : "")
    }

    /// 45,3 %
    public static func percent(_ fraction: Double) -> String {
        displayDecimal(fraction * 100, digits: ReportHTML.percentDigits) + thinSpace + "%"
    }

    /// The text shown for a hidden cell: `< 5` for a small count or a rate computed from one
    /// (SPEC §3), `s` (secret) for a count hidden so that a small one cannot be recomputed.
    public static func hidden(_ secrecy: ReportCell.Secrecy, minCell: Int) -> String {
        secrecy == .complement ? complementMark : "< \(minCell)"
    }

    /// The mark of a count hidden as a complement (the convention of French official
    /// statistics for "secret statistique").
    public static let complementMark = "s"

    /// A count in a sentence, with its noun: `1 234 parents`, `moins de 5 parents`, `un
    /// nombre non publié (secret statistique) de parents`, `… d'agents communaux` (« de »
    /// elided before a vowel: it wrote « de agents communaux »).
    public static func countPhrase(_ cell: ReportCell, noun: String? = nil, minCell: Int) -> String {
        let tail = noun.map { " " + $0 } ?? ""
        switch cell.secrecy {
        case .shown: return integer(cell.count) + (cell.count <= 1 ? singular(tail) : tail)
        case .small: return "moins de \(minCell)" + tail
        case .complement: return "un nombre non publié (secret statistique)" + (noun.map { " " + of($0) } ?? "")
        }
    }

    /// « de » and a common noun: elided before a vowel or a y (« d'agents », « d'élèves »),
    /// « de » otherwise (« de parents »).
    public static func of(_ noun: String) -> String {
        guard let first = noun.first, elidingInitials.contains(first.lowercased()) else { return "de " + noun }
        return "d'" + noun
    }

    /// `singular` when the count a phrase says is a shown 0 or 1 (« 1 parent a utilisé »),
    /// `plural` otherwise (a hidden count is « moins de 5 parents », plural).
    public static func agreeing(_ cell: ReportCell, _ singular: String, _ plural: String) -> String {
        cell.secrecy == .shown ? agreeing(cell.count, singular, plural) : plural
    }

    /// `singular` for 0 and 1, `plural` from 2 on: the words that agree with a count a
    /// sentence does not write (« période incomplète 2018-10 », « les 2 dimensions »).
    public static func agreeing(_ n: Int, _ singular: String, _ plural: String) -> String {
        n.magnitude >= 2 ? plural : singular
    }

    /// A French plural noun phrase made singular, word by word (« agents communaux » →
    /// « agent communal », « personnes » → « personne »), for 0 and 1.
    public static func singular(_ phrase: String) -> String {
        phrase.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            if word.hasSuffix("aux") { return word.dropLast(3) + "al" }
            if word.hasSuffix("s") && word.count > 1 { return String(word.dropLast()) }
            return String(word)
        }.joined(separator: " ")
    }

    /// « du 1er octobre 2018 au 31 octobre 2018 », or « le 11 novembre 2018 » for one day.
    public static func dateRange(_ from: CivilDate, _ to: CivilDate) -> String {
        from == to ? "le \(date(from))" : "du \(date(from)) au \(date(to))"
    }

    /// `n` with thousands separators and the noun that goes with it: singular for 0 and 1,
    /// plural from 2 on, as French has it (« 0 ligne », « 1 ligne », « 2 lignes »).
    /// `plural` defaults to the singular with an « s ». The one plural rule of every count
    /// the tool writes in words, in the report and on the terminal alike.
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(integer(n)) \(agreeing(n, singular, plural ?? singular + "s"))"
    }

    /// « de » and a place name as French writes them: elided before a vowel or a y
    /// (« d'Abbeville », « d'Yzeux », « d'Épehy », « d'Œuvres »), contracted with the
    /// articles « Le » and « Les » (« du Crotoy », « des Ulis »), and « de » before anything
    /// else: « La » and « L' » (« de La Chaussée-Tirancourt », « de L'Étoile »), a consonant,
    /// and an h, since a place's h is often aspirated and only a list could tell
    /// (« de Hangest-sur-Somme », « de Ham »), a digit (a commune known by its code only).
    /// The apostrophe is the report's, `'`.
    public static func ofPlace(_ name: String) -> String {
        for (article, contracted) in [("le ", "du "), ("les ", "des ")] {
            let head = name.prefix(article.count)
            if head.lowercased() == article, name.count > article.count { return contracted + name.dropFirst(article.count) }
        }
        return of(name)
    }

    /// The initials before which « de » is elided: the vowels, accented or not, the
    /// ligatures, and y (« d'Yzeux », « d'Y »), lower case.
    static let elidingInitials: Set<String> = Set(["a", "à", "â", "ä", "á", "æ", "e", "é", "è", "ê", "ë", "i", "î", "ï", "í",
                                                   "o", "ô", "ö", "ó", "œ", "u", "ù", "û", "ü", "ú", "y", "ÿ", "ý"])

    /// « 31 jours », « 1 jour ».
    public static func days(_ n: Int) -> String {
        count(n, "jour")
    }

    /// A rate in a sentence: `45,3 %`, or `une part non publiée (secret statistique)`.
    public static func ratePhrase(_ cell: ReportCell) -> String {
        guard !cell.isSuppressed, case .rate(let v, _) = cell else {
            return cell.isSuppressed ? "une part non publiée (secret statistique)" : "–"
        }
        return v.map(percent) ?? "–"
    }

    /// The label of a role code (`*`: Ensemble), plural for a heading, singular in a
    /// sentence; a code it does not know, as it is.
    public static func role(_ code: String, plural: Bool = true) -> String {
        switch code {
        case "*": return "Ensemble"
        case "parent": return plural ? "Parents" : "parent"
        case "teacher": return plural ? "Enseignants" : "enseignant"
        case "student": return plural ? "Élèves" : "élève"
        case "staff": return plural ? "Personnels" : "personnel"
        case "commune": return plural ? "Agents communaux" : "agent communal"
        case "unknown": return plural ? "Inconnus (hors annuaire)" : "inconnu"
        case "": return "(sans rôle)"
        default: return code
        }
    }

    /// The label of a level code (`*`: Tous niveaux, "": no school); a code it does not know,
    /// as it is.
    public static func level(_ code: String) -> String {
        switch code {
        case "*": return "Tous niveaux"
        case "maternelle": return "Maternelle"
        case "elementaire": return "Élémentaire"
        case "primaire": return "Primaire"
        case "": return "(sans école)"
        default: return code
        }
    }

    /// The name of a feature code, as the report shows it; a code it does not know, as it is.
    /// The feature `connexion` (the login and logout pages, the new ENT's `Auth` module) is
    /// « Ouverture et fermeture de session »: named « Connexion », it stood beside the
    /// column « Connexions », the visits, and read « Connexion : 19 118 connexions »; the
    /// page calls the logins « Authentifications » (ouvertures de session). The CSV files
    /// keep the code `connexion`, which the methodology explains.
    public static func feature(_ code: String) -> String {
        switch code {
        case "portail": return "Portail / fil d'actualité"
        case "messagerie": return "Messagerie"
        case "actualites": return "Actualités"
        case "blog": return "Blog"
        case "cahier_liaison": return "Cahier de liaison"
        case "documents": return "Documents"
        case "agenda": return "Agenda"
        case "mur_collaboratif": return "Mur collaboratif"
        case "exercices": return "Exercices"
        case "cantine": return "Cantine"
        case "transport": return "Transport scolaire"
        case "periscolaire": return "Périscolaire"
        case "annuaire": return "Annuaire"
        case "connexion": return "Ouverture et fermeture de session"
        case "autre": return "Autre"
        default: return code
        }
    }

    /// The label of a source code (`access`, `events`, `none`, `*`); a code it does not know,
    /// as it is.
    public static func source(_ code: String) -> String {
        switch code {
        case "access": return "Ancien ENT (journal d'accès)"
        case "events": return "Nouvel ENT (événements)"
        case "none": return "Sans enregistrement valide"
        case "*": return "Total"
        default: return code
        }
    }

    /// Day and month names, lower case, as French writes them in a date.
    public static let weekdays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    /// `janvier` … `décembre`, by month number minus one.
    public static let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                "septembre", "octobre", "novembre", "décembre"]

    /// 14 octobre 2018
    public static func date(_ d: CivilDate) -> String {
        "\(dayOfMonth(d.day)) \(months[d.month - 1]) \(d.year)"
    }

    /// A day of the month as French writes it: `1er`, `2`, … `31`.
    static func dayOfMonth(_ day: Int) -> String { day == 1 ? "1er" : String(day) }

    /// The months' abbreviations, as in `oct. 2018`.
    static let shortMonths = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

    /// The days' abbreviations, Monday first, as in `lun. 8 oct. 2018`.
    static let shortWeekdays = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]

    /// A day in a table's cell, short: `8 oct. 2018`, `1er nov. 2018`, or with its weekday,
    /// `lun. 8 oct. 2018`.
    public static func shortDate(_ d: CivilDate, weekday: Bool = false) -> String {
        (weekday ? shortWeekdays[d.isoWeekday - 1] + " " : "") + "\(dayOfMonth(d.day)) \(shortMonths[d.month - 1]) \(d.year)"
    }

    /// A store's UTC time stamp (`2026-12-06T16:17:12Z`) as the page says a moment, in
    /// Paris time like its other dates, to the minute: `6 déc. 2026 à 17 h 17`; nil for a
    /// text that is not one.
    public static func shortDateTime(utc timestamp: String) -> String? {
        guard let instant = Store.epochSeconds(ofTimestamp: timestamp) else { return nil }
        let (day, second) = ParisClock.wallClock(instant)
        return "\(shortDate(CivilDate(dayNumber: day))) à \(clockTime(second))"
    }

    /// The time a clock shows `second` seconds past midnight, as French writes it to the
    /// minute: `17 h 05`.
    public static func clockTime(_ second: Int) -> String {
        "\(second / 3600) h \(CivilDate.pad2(second / 60 % 60))"
    }

    /// `2018-10` → `oct. 2018`; a month the range `from`…`to` cuts says which of its days
    /// it holds, `oct. 2018 (dès le 8)`, `nov. 2018 (jusqu'au 11)`, `mars 2019 (du 4 au 9)`:
    /// its counts are not those of a whole month.
    public static func monthLabel(_ label: String, from: CivilDate? = nil, to: CivilDate? = nil) -> String {
        let parts = label.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return label }
        let name = "\(shortMonths[m - 1]) \(parts[0])"
        let first = from.flatMap { $0.year == y && $0.month == m && $0.day > 1 ? $0.day : nil }
        let last = to.flatMap { $0.year == y && $0.month == m && $0.day < CivilDate.daysInMonth(year: y, month: m) ? $0.day : nil }
        switch (first, last) {
        case let (f?, l?): return "\(name) (du \(dayOfMonth(f)) au \(dayOfMonth(l)))"
        case let (f?, nil): return "\(name) (dès le \(dayOfMonth(f)))"
        case let (nil, l?): return "\(name) (jusqu'au \(dayOfMonth(l)))"
        case (nil, nil): return name
        }
    }

    /// `2018-W41` (ISO week) → `sem. 41 (8–14 oct. 2018)`: the week's number and its days,
    /// Monday to Sunday, as a French reader counts weeks by their dates. A week the range
    /// `from`…`to` cuts says the days it holds, `sem. 41 (10–14 oct. 2018)`: its counts are
    /// not those of a whole week.
    public static func weekLabel(_ label: String, from: CivilDate? = nil, to: CivilDate? = nil) -> String {
        let parts = label.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), (1...9999).contains(y), parts[1].first == "W",
              let w = Int(parts[1].dropFirst()), (1...53).contains(w) else { return label }
        let january4 = CivilDate(year: y, month: 1, day: 4)
        let mondayNumber = january4.dayNumber - (january4.isoWeekday - 1) + 7 * (w - 1)
        var first = mondayNumber, last = mondayNumber + 6
        if let from, (first + 1...last).contains(from.dayNumber) { first = from.dayNumber }
        if let to, (first..<last).contains(to.dayNumber) { last = to.dayNumber }
        let start = CivilDate(dayNumber: first), end = CivilDate(dayNumber: last)
        func day(_ d: CivilDate) -> String { dayOfMonth(d.day) }
        let days: String
        if start.dayNumber == end.dayNumber {
            days = shortDate(end)
        } else if start.year != end.year {
            days = "\(day(start)) \(shortMonths[start.month - 1]) \(start.year)–\(day(end)) \(shortMonths[end.month - 1]) \(end.year)"
        } else if start.month != end.month {
            days = "\(day(start)) \(shortMonths[start.month - 1])–\(day(end)) \(shortMonths[end.month - 1]) \(end.year)"
        } else {
            days = "\(day(start))–\(day(end)) \(shortMonths[end.month - 1]) \(end.year)"
        }
        return "sem. \(w) (\(days))"
    }

    /// The text of a key cell, translated when the column holds codes; a month the report's
    /// range `from`…`to` cuts says its days (`monthLabel`).
    public static func keyText(_ text: String, column: String, from: CivilDate? = nil, to: CivilDate? = nil) -> String {
        switch column {
        case "role": return role(text)
        case "niveau": return level(text)
        case "service": return feature(text)
        case "source": return source(text)
        case "mois": return text == "*" ? "Total" : monthLabel(text, from: from, to: to)
        case "semaine": return text == "*" ? "Total" : weekLabel(text, from: from, to: to)
        case "epci", "code_commune", "commune":
            if text == "*" { return "Ensemble" }
            guard text.isEmpty else { return text }
            return column == "epci" ? "(sans EPCI)" : "(sans commune)"
        default: return text
        }
    }

    /// French column headers.
    public static func columnLabel(_ name: String) -> String {
        let labels: [String: String] = [
            "role": "Rôle", "niveau": "Niveau", "uai": "UAI", "ecole": "École", "service": "Service", "epci": "EPCI",
            "code_commune": "Code INSEE", "commune": "Commune", "mois": "Mois", "semaine": "Semaine",
            "lundi": "Lundi", "jour": "Jour", "jour_semaine": "Jour de la semaine", "heure": "Heure",
            "utilisateurs_actifs": "Utilisateurs actifs",
            "utilisateurs_actifs_inscrits": "dont inscrits à l'annuaire",
            "utilisateurs": "Utilisateurs", "utilisateurs_actifs_role": "Utilisateurs actifs du rôle",
            "connexions": "Connexions", "authentifications": "Authentifications", "requetes": "Requêtes",
            "comptes": "Comptes", "comptes_actives": "Comptes activés",
            "taux_activation": "Taux d'activation", "taux_actifs": "Taux d'actifs",
            "taux_penetration": "Taux d'usage",
            "comptes_parents": "Comptes parents", "parents_actifs": "Parents actifs",
            "parents_actifs_inscrits": "dont parents inscrits à l'annuaire", "taux_parents_actifs": "Taux de parents actifs",
            "parents_cantine": "Parents : cantine", "parents_transport": "Parents : transport",
            "parents_periscolaire": "Parents : périscolaire",
            "parents_services_commune": "Parents : au moins un des trois",
            "taux_parents_services_commune": "Part des parents actifs utilisant au moins un de ces services",
            "connexions_parents_services_commune": "Connexions des parents à ces services",
            "agents_communaux_actifs": "Agents communaux actifs",
            "connexions_agents_communaux": "Connexions des agents",
            "utilisateurs_ancien_ent": "Ancien ENT", "utilisateurs_nouvel_ent": "Nouvel ENT",
            "utilisateurs_les_deux": "Les deux", "part_ancien_aussi_nouvel": "Part de l'ancien aussi dans le nouveau",
            "utilisateurs_retrouves": "Retrouvés dans le nouvel ENT", "part_retrouves": "Part retrouvée",
            "pic_utilisateurs_simultanes": "Pic d'utilisateurs simultanés",
            "part_connexions": "Part des connexions", "connexions_par_jour_actif": "Connexions par jour d'activité",
            "connexions_jour_le_plus_charge": "Connexions au jour le plus chargé",
            "requetes_par_jour_actif": "Requêtes par jour d'activité",
            "utilisateurs_jour_max": "Utilisateurs au jour le plus chargé", "connexions_jour_max": "Connexions au jour le plus chargé",
            "requetes_jour_max": "Requêtes au jour le plus chargé",
            "source": "Journal", "fichiers": "Fichiers", "lignes": "Lignes", "retenues": "Retenues",
            "filtrees": "Filtrées", "rejetees": "Rejetées", "premier_jour": "Premier jour", "dernier_jour": "Dernier jour",
            "fichier": "Fichier", "motif": "Motif", "date_echec": "Date",
            "indicateur": "Indicateur", "periode": "Période", "periode_precedente": "Période précédente",
            "evolution": "Évolution",
        ]
        if let label = labels[name] { return label }
        let spaced = name.split(separator: "_").joined(separator: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
