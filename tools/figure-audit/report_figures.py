#!/usr/bin/env python3
"""Independent reference implementation of the CSV tables of `entstat report --min-cell 0`.

Built on figures.py's parsing and model (persons, person-days, visits: SPEC §1-§2); each table
is computed here from that model, in plain Python, from SPEC §2's definitions. What each
table holds (its rows, columns, order, the period and the scope it covers) was read from
Queries/*.sql's headers and the report's methodology; the figures are not translated from the
SQL's joins. Standard library only.

Usage:
    report_figures.py --schools S --accounts A [--epci E] --outdir DIR
                      [--from D] [--to D] [--commune CODE | --epci-name NAME] LOG_OR_DIR...
    report_figures.py ... --batch SPECFILE --outroot DIR LOG_OR_DIR...
  SPECFILE: one report per line, `NAME<TAB>[--from D] [--to D] [--commune C] [--epci NAME]`;
  DIR/NAME/<table>.csv is written for each.
"""
import argparse
import datetime as dt
import math
import os
import shlex
import sys
import time
import unicodedata
from fractions import Fraction

sys.dont_write_bytecode = True  # importing figures.py leaves no __pycache__ beside it
import figures as F  # noqa: E402

def french_key(name):
    """French alphabetical order, as a French index sorts names (the report's tables of
    communes, schools and EPCIs, Queries/README.md and docs/report.md): letters without accents or case (a
    ligature as its two letters), a hyphen, an apostrophe or a space before any letter;
    then the name without case; then its UTF-8 bytes."""
    letters = []
    for ch in name.lower():
        if ch in "-'\u2019 ":
            letters.append(" ")
        elif ch in LIGATURES:
            letters.append(LIGATURES[ch])
        else:
            letters.append(unicodedata.normalize("NFD", ch)[0])
    return ("".join(letters), name.lower(), name.encode("utf-8"))


LIGATURES = {"\u0153": "oe", "\u00e6": "ae"}

ROLE_ORDER = {"parent": 1, "teacher": 2, "student": 3, "staff": 4, "commune": 5}
ROLE_LABEL = {"parent": "parents", "teacher": "enseignants", "student": "élèves", "staff": "personnels",
              "commune": "agents communaux", "unknown": "inconnus (hors annuaire)", "": "(sans rôle)"}
SERVICES_COMMUNE = ("cantine", "transport", "periscolaire")

# Tables compared by report-run (the report's other tables: fichiers_ingeres, fichiers_en_echec).
TABLES = ["synthese", "synthese_roles", "synthese_roles_periode_precedente", "adoption_role_niveau",
          "tendance_mensuelle", "parents_niveau_mensuel", "services_par_role", "epci", "communes",
          "ecoles", "communes_parents_services", "migration_hebdo", "migration_bilan",
          "rythmes_semaine_heure", "activite_quotidienne", "peak_concurrent_users", "heures_chargees",
          "volumes_par_role"]


def role_key(r):
    """The report's order of roles: parent, teacher, student, staff, commune, then the others
    by name (unknown), the total '*' last."""
    return (9 if r == "*" else ROLE_ORDER.get(r, 6), r)


# ---------------------------------------------------------------- CSV format of the report
# UTF-8 with BOM, `;`, CRLF, decimal comma (README "Commands"; the files' own bytes). Rates are
# fractions with 4 decimals (SPEC §2.4); averages 2 decimals. The spec does not say how a tie
# is rounded; docs/choices.md says half away from zero, on the exact quotient
# (57/800 = 0.07125 gives 0,0713, though SQLite's `1.0 * a / b` is a hair below the half): the
# oracle computes every quotient as an exact Fraction.
def dec(v, digits):
    if v is None:
        return ""
    v = Fraction(v)
    scale = 10 ** digits
    n = math.floor(abs(v) * scale + Fraction(1, 2))  # half away from zero, exactly
    s = ("-" if v < 0 and n else "") + str(n // scale)
    if digits:
        s += "," + str(n % scale).rjust(digits, "0")
    return s


def rate(a, b):
    return dec(Fraction(a, b), 4) if b else ""


def volume(v):
    """a volume cell: whole numbers as integers, else 2 decimals."""
    if v == int(v):
        return str(int(v))
    return dec(v, 2)


BIDI = set([0x200E, 0x200F, 0x061C] + list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)))


def text(s):
    """SPEC §4: a text cell must not become a formula (the tool prefixes `'`), and direction
    controls are dropped."""
    s = "".join(c for c in s if ord(c) not in BIDI)
    if s and s[0] in "=+-@\t\r":
        s = "'" + s
    return s


def csv_field(s):
    if any(c in s for c in ';"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def csv_doc(header, rows):
    out = "\ufeff" + ";".join(csv_field(h) for h in header) + "\r\n"
    for r in rows:
        out += ";".join(csv_field(str(x)) for x in r) + "\r\n"
    return out


# ---------------------------------------------------------------- names of schools and communes
def load_names(schools_path, epci_path):
    """uai -> (name, level, code_commune); code_commune -> (name, epci) as the reference files say."""
    schools, communes = {}, {}
    for uai, name, level, cc, commune, epci in F.school_rows(schools_path):
        schools[uai] = (name, level, cc)
        communes.setdefault(cc, (commune, epci))
    return schools, communes, F.load_epci(epci_path)


def iso(o):
    return dt.date.fromordinal(o).isoformat()


def month_bounds(o):
    d = dt.date.fromordinal(o)
    first = d.replace(day=1)
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return first.toordinal(), nxt.toordinal() - 1


_midnight = {}


def midnight(o):
    e = _midnight.get(o)
    if e is None:
        e = _midnight[o] = int(dt.datetime.combine(dt.date.fromordinal(o), dt.time(0), F.PARIS).timestamp())
    return e


_hour = {}


def local_hour(ep):
    """the Paris wall-clock hour of an instant (offsets change on whole UTC hours)."""
    h = ep // 3600
    r = _hour.get(h)
    if r is None:
        r = _hour[h] = dt.datetime.fromtimestamp(h * 3600, F.PARIS).hour
    return r


# ---------------------------------------------------------------- the report
class Report:
    def __init__(self, model, schools_path, epci_path):
        self.m = model
        self.school_names, self.commune_names, self.epci_map = load_names(schools_path, epci_path)
        # per local day: the indexes of its entries in model.days
        self.by_day = {}
        for i, e in enumerate(model.days):
            self.by_day.setdefault(e[1], []).append(i)
        self.data_days = model.data_days

    def commune_name(self, cc):
        return self.commune_names.get(cc, ("", ""))[0]

    def commune_epci(self, cc):
        if cc in self.epci_map:
            return self.epci_map[cc]
        return self.commune_names.get(cc, ("", ""))[1]

    # ------------------------------------------------------------ scope
    def set_scope(self, commune=None, epci=None):
        self.sc, self.se = commune or None, epci or None
        self._act = {}

    def place_in(self, pl):
        return (self.sc is None or pl[2] == self.sc) and (self.se is None or pl[3] == self.se)

    def places(self, p):
        """the person's (school, level, commune, epci) inside the scope (SPEC §2.1)."""
        if self.sc is None and self.se is None:
            return p.places
        return [pl for pl in p.places if self.place_in(pl)]

    def accounts(self):
        return [a for a in self.m.accounts if self.places(a)]

    # ------------------------------------------------------------ per-person activity of a range
    def activity(self, d0, d1):
        """person -> dict: r, l, v (totals), days, feat {f: [r, v]}, src set, for the days d0..d1,
        persons of the scope only."""
        out = self._act.get((d0, d1))
        if out is not None:
            return out
        out = self._act[(d0, d1)] = {}
        days = self.m.days
        for d in range(d0, d1 + 1):
            for i in self.by_day.get(d, ()):
                p, _, tot, pair, srcv, featv = days[i]
                if not self.places(p):
                    continue
                a = out.get(p)
                if a is None:
                    a = out[p] = {"r": 0, "l": 0, "v": 0, "days": 0, "feat": {}, "src": set()}
                a["r"] += tot[0]
                a["l"] += tot[1]
                a["v"] += tot[2]
                a["days"] += 1
                for (s, f), c in pair.items():
                    x = a["feat"].setdefault(f, [0, 0])
                    x[0] += c[0]
                for f, v in featv.items():
                    a["feat"][f][1] += v
                a["src"].update(srcv)
        return out

    def day_entries(self, d0, d1):
        for d in range(d0, d1 + 1):
            for i in self.by_day.get(d, ()):
                p = self.m.days[i][0]
                if self.places(p):
                    yield i

    # ------------------------------------------------------------ tables
    def synthese_roles(self, d0, d1):
        act = self.activity(d0, d1)
        r = {}
        for p, a in act.items():
            for k in (p.role, "*"):
                x = r.setdefault(k, [0, 0, 0, 0, 0])
                x[0] += 1
                x[1] += p.listed
                x[2] += a["v"]
                x[3] += a["l"]
                x[4] += a["r"]
        last = iso(d1)
        c = {}
        for acc in self.accounts():
            on = 1 if acc.activated_on and acc.activated_on <= last else 0
            for k in (acc.role, "*"):
                x = c.setdefault(k, [0, 0])
                x[0] += 1
                x[1] += on
        keys = {k for k in r} | {"*"} | {k for k, x in c.items() if x[0] > 0}
        rows = []
        for k in sorted(keys, key=role_key):
            u = r.get(k, [0] * 5)
            n, na = c.get(k, [0, 0])
            rows.append([k] + u + [n, na, rate(na, n), rate(u[1], n)])
        header = ["role", "utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions",
                  "authentifications", "requetes", "comptes", "comptes_actives", "taux_activation", "taux_actifs"]
        return header, rows, (r, c)

    def synthese(self, cur, prev):
        """The headline figures now and in the previous period of the same length (the rows
        follow the role rows of synthese_roles); the change is empty where the previous period
        has no activity (« aucune activité enregistrée »)."""
        (r1, c1), (r0, c0) = cur, prev
        prev_active = r0.get("*", [0])[0] > 0

        def fig(r, c, role, col):
            u = r.get(role)
            n = c.get(role)
            if col == "u":
                return u[0] if u else 0
            if col == "v":
                return u[2] if u else 0
            if col == "l":
                return u[3] if u else 0
            if col == "na":
                return n[1] if n else 0
            if col == "ta":
                return Fraction(n[1], n[0]) if n and n[0] else None
            if col == "tx":
                return Fraction(u[1] if u else 0, n[0]) if n and n[0] else None

        rows = []

        def row(label, col, role):
            a = fig(r1, c1, role, col)
            b = fig(r0, c0, role, col)
            is_rate = col in ("ta", "tx")
            f = (lambda x: dec(x, 4)) if is_rate else str
            sa = "" if a is None else f(a)
            if col in ("u", "v", "l", "tx") and not prev_active:
                rows.append([label, sa, "", ""])
                return
            sb = "" if b is None else f(b)
            ev = "" if a is None or b is None else (dec(a - b, 4) if is_rate else str(a - b))
            rows.append([label, sa, sb, ev])

        row("Utilisateurs actifs — ensemble", "u", "*")
        for k in self.cur_role_rows:
            if k != "*":
                row("Utilisateurs actifs — " + ROLE_LABEL.get(k, k), "u", k)
        row("Comptes activés — ensemble", "na", "*")
        row("Taux d'activation — ensemble", "ta", "*")
        row("Taux d'actifs — ensemble", "tx", "*")
        for k in ("parent", "teacher"):
            if k in self.cur_role_rows:
                row("Taux d'actifs — " + ROLE_LABEL[k], "tx", k)
        row("Connexions — ensemble", "v", "*")
        row("Authentifications — ensemble", "l", "*")
        return ["indicateur", "periode", "periode_precedente", "evolution"], rows

    def adoption_role_niveau(self, d0, d1):
        act = self.activity(d0, d1)
        r = {}
        for p in act:
            keys = {(p.role, pl[1]) for pl in self.places(p)} | {(p.role, "*")}
            for k in keys:
                x = r.setdefault(k, [0, 0])
                x[0] += 1
                x[1] += p.listed
        last = iso(d1)
        c = {}
        for a in self.accounts():
            on = 1 if a.activated_on and a.activated_on <= last else 0
            for k in {(a.role, pl[1]) for pl in self.places(a)} | {(a.role, "*")}:
                x = c.setdefault(k, [0, 0])
                x[0] += 1
                x[1] += on
        rows = []
        for k in sorted(set(r) | set(c), key=lambda k: (role_key(k[0]), k[1] == "*", k[1])):
            u, ul = r.get(k, [0, 0])
            n, na = c.get(k, [0, 0])
            rows.append([k[0], k[1], n, na, rate(na, n), u, ul, rate(ul, n)])
        return ["role", "niveau", "comptes", "comptes_actives", "taux_activation", "utilisateurs_actifs",
                "utilisateurs_actifs_inscrits", "taux_actifs"], rows

    def months(self, d0, d1):
        """months holding a day of d0..d1 with any qualifying record (anyone's), with their
        last day clipped to d1."""
        out = {}
        for d in self.data_days:
            if d0 <= d <= d1:
                f, l = month_bounds(d)
                out[iso(f)[:7]] = (max(f, d0), min(l, d1))
        return out

    def tendance_mensuelle(self, d0, d1):
        rows = []
        accs = self.accounts()
        ms = self.months(d0, d1)
        for mo in sorted(ms):
            a0, a1 = ms[mo]
            act = self.activity(a0, a1)
            r = {}
            for p, a in act.items():
                for k in (p.role, "*"):
                    x = r.setdefault(k, [0, 0, 0])
                    x[0] += 1
                    x[1] += p.listed
                    x[2] += a["v"]
            last = iso(a1)
            c = {}
            for acc in accs:
                on = 1 if acc.activated_on and acc.activated_on <= last else 0
                for k in (acc.role, "*"):
                    x = c.setdefault(k, [0, 0])
                    x[0] += 1
                    x[1] += on
            for k in sorted(set(r) | set(c), key=role_key):
                u, ul, v = r.get(k, [0, 0, 0])
                n, na = c.get(k, [0, 0])
                rows.append([mo, k, u, ul, v, n, na, rate(na, n), rate(ul, n)])
        return ["mois", "role", "utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions", "comptes",
                "comptes_actives", "taux_activation", "taux_actifs"], rows

    def parents_niveau_mensuel(self, d0, d1):
        rows = []
        accs = [a for a in self.accounts() if a.role == "parent"]
        ms = self.months(d0, d1)
        for mo in sorted(ms):
            a0, a1 = ms[mo]
            act = self.activity(a0, a1)
            r = {}
            for p in act:
                if p.role != "parent":
                    continue
                for k in {pl[1] for pl in self.places(p)} | {"*"}:
                    x = r.setdefault(k, [0, 0])
                    x[0] += 1
                    x[1] += p.listed
            last = iso(a1)
            c = {}
            for acc in accs:
                on = 1 if acc.activated_on and acc.activated_on <= last else 0
                for k in {pl[1] for pl in self.places(acc)} | {"*"}:
                    x = c.setdefault(k, [0, 0])
                    x[0] += 1
                    x[1] += on
            for k in sorted(set(r) | set(c), key=lambda k: (k == "*", k)):
                u, ul = r.get(k, [0, 0])
                n, na = c.get(k, [0, 0])
                rows.append([mo, k, n, na, rate(na, n), u, ul, rate(ul, n)])
        return ["mois", "niveau", "comptes", "comptes_actives", "taux_activation", "utilisateurs_actifs",
                "utilisateurs_actifs_inscrits", "taux_actifs"], rows

    def services_par_role(self, d0, d1):
        act = self.activity(d0, d1)
        t, f = {}, {}
        for p, a in act.items():
            for k in (p.role, "*"):
                t[k] = t.get(k, 0) + 1
                for feat, (rq, v) in a["feat"].items():
                    x = f.setdefault((k, feat), [0, 0, 0])
                    x[0] += 1
                    x[1] += v
                    x[2] += rq
        rows = []
        for (k, feat), (u, v, q) in sorted(f.items(), key=lambda kv: (role_key(kv[0][0]), -kv[1][0], kv[0][1])):
            rows.append([k, feat, u, v, q, t[k], rate(u, t[k])])
        return ["role", "service", "utilisateurs", "connexions", "requetes", "utilisateurs_actifs_role",
                "taux_penetration"], rows

    def _places_table(self, d0, d1, idx, star):
        """users (listed, parents, parents listed) and accounts (activated, parents) per place
        of kind idx (2 commune, 3 epci); '*' the whole scope, each person or account once."""
        act = self.activity(d0, d1)
        r = {}
        for p in act:
            keys = {pl[idx] for pl in self.places(p)}
            if star:
                keys.add("*")
            for k in keys:
                x = r.setdefault(k, [0, 0, 0, 0])
                x[0] += 1
                x[1] += p.listed
                if p.role == "parent":
                    x[2] += 1
                    x[3] += p.listed
        last = iso(d1)
        c = {}
        for a in self.accounts():
            on = 1 if a.activated_on and a.activated_on <= last else 0
            keys = {pl[idx] for pl in self.places(a)}
            if star:
                keys.add("*")
            for k in keys:
                x = c.setdefault(k, [0, 0, 0])
                x[0] += 1
                x[1] += on
                x[2] += a.role == "parent"
        keys = {k for k, x in r.items() if x[0] > 0} | {k for k, x in c.items() if x[0] > 0}
        return r, c, keys

    def epci(self, d0, d1):
        r, c, keys = self._places_table(d0, d1, 3, True)
        rows = []
        for k in sorted(keys, key=lambda k: (k == "*", french_key(k))):
            u, ul, pu, pul = r.get(k, [0] * 4)
            n, na, pn = c.get(k, [0] * 3)
            rows.append([text(k), n, na, rate(na, n), u, ul, rate(ul, n), pn, pu, pul, rate(pul, pn)])
        return ["epci", "comptes", "comptes_actives", "taux_activation", "utilisateurs_actifs",
                "utilisateurs_actifs_inscrits", "taux_actifs", "comptes_parents", "parents_actifs",
                "parents_actifs_inscrits", "taux_parents_actifs"], rows

    def communes(self, d0, d1):
        r, c, keys = self._places_table(d0, d1, 2, True)
        rows = []
        for k in sorted(keys, key=lambda k: (k == "*", french_key(self.commune_name(k) if k != "*" else ""), k)):
            u, ul, pu, pul = r.get(k, [0] * 4)
            n, na, pn = c.get(k, [0] * 3)
            name = self.commune_name(k) if k != "*" else ""
            ep = self.commune_epci(k) if k != "*" else ""
            rows.append([text(k), text(name), text(ep), n, na, rate(na, n), u, ul, rate(ul, n), pn, pu, pul,
                         rate(pul, pn)])
        return ["code_commune", "commune", "epci", "comptes", "comptes_actives", "taux_activation",
                "utilisateurs_actifs", "utilisateurs_actifs_inscrits", "taux_actifs", "comptes_parents",
                "parents_actifs", "parents_actifs_inscrits", "taux_parents_actifs"], rows

    def ecoles(self, d0, d1):
        act = self.activity(d0, d1)
        r = {}
        for p in act:
            for k in {pl[0] for pl in self.places(p) if pl[0]}:
                x = r.setdefault(k, [0, 0, 0])
                x[0] += 1
                x[1] += p.listed
                x[2] += p.role == "parent"
        last = iso(d1)
        c = {}
        for a in self.accounts():
            on = 1 if a.activated_on and a.activated_on <= last else 0
            for k in {pl[0] for pl in self.places(a) if pl[0]}:
                x = c.setdefault(k, [0, 0])
                x[0] += 1
                x[1] += on
        rows = []
        for k in set(r) | set(c):
            name, level, cc = self.school_names.get(k, ("", "", ""))
            cname = self.commune_names[cc][0] if cc in self.commune_names else cc
            u, ul, pu = r.get(k, [0] * 3)
            n, na = c.get(k, [0, 0])
            rows.append(((french_key(cname), french_key(name), k), [text(k), text(name), text(level), text(cname), text(cc), n, na,
                                             rate(na, n), u, ul, rate(ul, n), pu]))
        # ordered by commune name, school name (French order), UAI (the raw texts, before neutralisation)
        rows = [r for _, r in sorted(rows)]
        return ["uai", "ecole", "niveau", "commune", "code_commune", "comptes", "comptes_actives",
                "taux_activation", "utilisateurs_actifs", "utilisateurs_actifs_inscrits", "taux_actifs",
                "parents_actifs"], rows

    def communes_parents_services(self, d0, d1):
        act = self.activity(d0, d1)
        agg = {}

        def g(k):
            return agg.setdefault(k, {"pa": 0, "pc": 0, "pt": 0, "pp": 0, "pany": 0, "pv": 0, "ca": 0, "cv": 0})

        for p, a in act.items():
            if p.role not in ("parent", "commune"):
                continue
            for k in {pl[2] for pl in self.places(p)} | {"*"}:
                x = g(k)
                if p.role == "parent":
                    x["pa"] += 1
                    used = [f for f in SERVICES_COMMUNE if f in a["feat"]]
                    x["pc"] += "cantine" in used
                    x["pt"] += "transport" in used
                    x["pp"] += "periscolaire" in used
                    x["pany"] += bool(used)
                    x["pv"] += sum(a["feat"][f][1] for f in used)
                else:
                    x["ca"] += 1
                    x["cv"] += a["v"]
        g("*")
        rows = []
        keys = [k for k, x in agg.items() if x["pa"] > 0 or x["ca"] > 0 or k == "*"]
        for k in sorted(keys, key=lambda k: (k == "*", french_key(self.commune_name(k) if k != "*" else ""), k)):
            x = agg[k]
            rows.append([text(k), text(self.commune_name(k) if k != "*" else ""), x["pa"], x["pc"], x["pt"], x["pp"],
                         x["pany"], rate(x["pany"], x["pa"]), x["pv"], x["ca"], x["cv"]])
        return ["code_commune", "commune", "parents_actifs", "parents_cantine", "parents_transport",
                "parents_periscolaire", "parents_services_commune", "taux_parents_services_commune",
                "connexions_parents_services_commune", "agents_communaux_actifs", "connexions_agents_communaux"], rows

    def migration_bilan(self, d0, d1):
        act = self.activity(d0, d1)
        persons = [p for p in self.all_persons() if self.places(p)]
        r = {}
        for p in persons:
            a = act.get(p)
            o = a is not None and "access" in a["src"]
            n = a is not None and "events" in a["src"]
            for k in (p.role, "*"):
                x = r.setdefault(k, [0, 0, 0])
                x[0] += o
                x[1] += n
                x[2] += o and n
        r.setdefault("*", [0, 0, 0])
        rows = []
        for k in sorted((k for k, x in r.items() if x[0] > 0 or x[1] > 0 or k == "*"), key=role_key):
            o, n, b = r[k]
            # Nobody outside the directory can be followed from one ENT to the other: no share.
            rows.append([k, o, n, b, rate(b, o) if k != "unknown" else ""])
        return ["role", "utilisateurs_ancien_ent", "utilisateurs_nouvel_ent", "utilisateurs_retrouves",
                "part_retrouves"], rows

    def all_persons(self):
        return list(self.m.accounts) + list(self.m.unknown.values())

    def migration_hebdo(self, d0, d1):
        wk = {}
        for i in self.day_entries(d0, d1):
            p, day, _, _, srcv, _ = self.m.days[i]
            y, w, _ = dt.date.fromordinal(day).isocalendar()
            lab = "%04d-W%02d" % (y, w)
            x = wk.setdefault(lab, [set(), set(), set(), day - dt.date.fromordinal(day).weekday()])
            x[2].add(p)
            if "access" in srcv:
                x[0].add(p)
            if "events" in srcv:
                x[1].add(p)
        rows = []
        for lab in sorted(wk):
            o, n, e, monday = wk[lab]
            both = len(o) + len(n) - len(e)
            rows.append([lab, iso(monday), len(o), len(n), both, rate(both, len(o))])
        return ["semaine", "lundi", "utilisateurs_ancien_ent", "utilisateurs_nouvel_ent", "utilisateurs_les_deux",
                "part_ancien_aussi_nouvel"], rows

    def activite_quotidienne(self, d0, d1):
        u, v = {}, {}
        for i in self.day_entries(d0, d1):
            _, day, tot, _, _, _ = self.m.days[i]
            u[day] = u.get(day, 0) + 1
            v[day] = v.get(day, 0) + tot[2]
        rows = [[iso(d), dt.date.fromordinal(d).isoweekday(), u.get(d, 0), v.get(d, 0)] for d in range(d0, d1 + 1)]
        return ["jour", "jour_semaine", "utilisateurs_actifs", "connexions"], rows

    def peak_concurrent_users(self, d0, d1):
        """SPEC §2.4: per day, the most distinct users with a record in one 5-minute clock window.
        docs/choices.md: windows are real 300 s intervals since local midnight (300 on the 25-hour day)."""
        win = {}
        for i in self.day_entries(d0, d1):
            day = self.m.days[i][1]
            m0 = midnight(day)
            c = win.setdefault(day, {})
            for w in {(ep - m0) // 300 for ep in self.m.detail[i][0]}:
                c[w] = c.get(w, 0) + 1
        return ["jour", "pic_utilisateurs_simultanes"], [[iso(d), max(c.values())] for d, c in sorted(win.items())]

    def _visit_hours(self, d0, d1):
        """(role, day, hour) -> visits begun in that local hour."""
        out = {}
        for i in self.day_entries(d0, d1):
            p, day = self.m.days[i][0], self.m.days[i][1]
            for ep in self.m.detail[i][1]:
                k = (p.role, day, local_hour(ep))
                out[k] = out.get(k, 0) + 1
        return out

    def heures_chargees(self, d0, d1):
        vh = self._visit_hours(d0, d1)
        dh = {}
        for (_, day, h), n in vh.items():
            dh[(day, h)] = dh.get((day, h), 0) + n
        days = {d for d, _ in dh}
        hs = {}
        for (d, h), n in dh.items():
            x = hs.setdefault(h, [0, 0])
            x[0] += n
            x[1] = max(x[1], n)
        total = sum(x[0] for x in hs.values())
        rows = []
        for h, (n, mx) in sorted(hs.items(), key=lambda kv: (-kv[1][0], kv[0])):
            rows.append([h, n, dec(Fraction(n, total), 4), volume(Fraction(n, len(days))), mx])
        return ["heure", "connexions", "part_connexions", "connexions_par_jour_actif",
                "connexions_jour_le_plus_charge"], rows

    def rythmes_semaine_heure(self, d0, d1):
        vh = self._visit_hours(d0, d1)
        out = {}
        for (role, day, h), n in vh.items():
            wd = dt.date.fromordinal(day).isoweekday()
            for k in ((role, wd, h), ("*", wd, h)):
                out[k] = out.get(k, 0) + n
        rows = [[k[0], k[1], k[2], n] for k, n in sorted(out.items(), key=lambda kv: (kv[0][0] == "*", kv[0]))
                if n > 0]
        return ["role", "jour_semaine", "heure", "connexions"], rows

    def volumes_par_role(self, d0, d1):
        d = {}
        for i in self.day_entries(d0, d1):
            p, day, tot, _, _, _ = self.m.days[i]
            for k in (p.role, "*"):
                x = d.setdefault((k, day), [0, 0, 0, 0])
                x[0] += 1
                x[1] += tot[2]
                x[2] += tot[1]
                x[3] += tot[0]
        ndays = len({day for _, day in d})
        r = {}
        for (k, day), (u, v, l, q) in d.items():
            x = r.setdefault(k, [0, 0, 0, 0, 0, 0])
            x[0] += v
            x[1] += l
            x[2] += q
            x[3] = max(x[3], u)
            x[4] = max(x[4], v)
            x[5] = max(x[5], q)
        rows = []
        # ordered by requests, most first; a tie's order is not fixed by the query (ORDER BY
        # role = '*', requetes DESC): the oracle breaks it by role name
        for k, (v, l, q, mu, mv, mq) in sorted(r.items(), key=lambda kv: (kv[0] == "*", -kv[1][2], kv[0])):
            rows.append([k, v, l, q, volume(Fraction(v, ndays)), volume(Fraction(q, ndays)), mu, mv, mq])
        return ["role", "connexions", "authentifications", "requetes", "connexions_par_jour_actif",
                "requetes_par_jour_actif", "utilisateurs_jour_max", "connexions_jour_max", "requetes_jour_max"], rows

    # ------------------------------------------------------------ one report
    def report(self, dfrom=None, dto=None, commune=None, epci=None):
        """{table name: csv text}. The default period runs from the first to the last day
        holding a qualifying record (the report's « rapport du … au … »)."""
        self.set_scope(commune, epci)
        d0 = dt.date.fromisoformat(dfrom).toordinal() if dfrom else self.data_days[0]
        d1 = dt.date.fromisoformat(dto).toordinal() if dto else self.data_days[-1]
        n = d1 - d0 + 1
        out = {}
        h, rows, cur = self.synthese_roles(d0, d1)
        out["synthese_roles"] = csv_doc(h, rows)
        self.cur_role_rows = [r[0] for r in rows]
        h, rows, prev = self.synthese_roles(d0 - n, d0 - 1)
        if not prev[0].get("*", [0])[0] > 0:
            # No activity at all in the previous period (its logs most likely not loaded):
            # its usage figures are unknown, written empty as in synthese; accounts stay.
            usage = {"utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions",
                     "authentifications", "requetes", "taux_actifs"}
            rows = [["" if h[i] in usage else v for i, v in enumerate(row)] for row in rows]
        out["synthese_roles_periode_precedente"] = csv_doc(h, rows)
        out["synthese"] = csv_doc(*self.synthese(cur, prev))
        for name in TABLES:
            if name not in out:
                out[name] = csv_doc(*getattr(self, name)(d0, d1))
        return out


def parse_report_args(argv):
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--from", dest="dfrom")
    ap.add_argument("--to", dest="dto")
    ap.add_argument("--commune")
    ap.add_argument("--epci")
    a = ap.parse_args(argv)
    return a.dfrom, a.dto, a.commune, a.epci


def write(outdir, tables):
    os.makedirs(outdir, exist_ok=True)
    for name, doc in tables.items():
        with open(os.path.join(outdir, name + ".csv"), "w", newline="", encoding="utf-8") as fh:
            fh.write(doc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", required=True)
    ap.add_argument("--accounts", required=True)
    ap.add_argument("--epci")
    ap.add_argument("--batch")
    ap.add_argument("--outroot")
    ap.add_argument("--outdir")
    ap.add_argument("--from", dest="dfrom")
    ap.add_argument("--to", dest="dto")
    ap.add_argument("--commune")
    ap.add_argument("--epci-name")
    ap.add_argument("logs", nargs="*")
    a = ap.parse_args()
    t0 = time.time()
    m = F.Model(a.schools, a.accounts, a.epci, F.expand_logs(a.logs), keep_detail=True)
    rep = Report(m, a.schools, a.epci)
    if a.batch:
        with open(a.batch) as fh:
            for line in fh:
                if not line.strip():
                    continue
                name, _, args = line.rstrip("\n").partition("\t")
                write(os.path.join(a.outroot, name), rep.report(*parse_report_args(shlex.split(args))))
    else:
        write(a.outdir, rep.report(a.dfrom, a.dto, a.commune, a.epci_name))
    print("report oracle: %.1f s" % (time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
