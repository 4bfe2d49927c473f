#!/usr/bin/env python3
"""check_secrecy.py DIR5 DIR0 [--verbose] [--min-cell N] [--no-rates] [--roles-overlap] [--exhaustive]
                   [--cold] [--progress]

Independent audit of the statistical secrecy of an `entstat report`.

DIR5 is a report folder written with secrecy on (default --min-cell 5), DIR0 the same report
written with --min-cell 0 (true values: same tables, rows and columns).  Every count cell shown
`< N` or `s` in DIR5 becomes an LP variable (bounds 1..N-1, resp. >= N); every published count is a
constant.  The relations a careful reader can know (stated below, one `kind` each) become linear
constraints.  For every hidden cell two LPs (min, max) are solved with scipy's HiGHS; a cell whose
range holds a single integer is PINNED (recoverable exactly by the reader). A cell the points
already found show unpinned and with its whole range (each optimum is a point the reader cannot
rule out; 16 random ones are found first, then aimed ones, each pushing the cells still
unsettled towards the bounds their points have yet to reach) needs no LP of its own: the output
is that of solving every cell (--exhaustive does, 1.4 to 7 times slower). The aimed points and
the cells' own LPs are solved hot (hot_lp.py: one HiGHS model, only its costs changed, each LP
starting from the last optimum): a hot LP may clear a cell (unpinned, its true value in its
range), every other verdict is linprog's, solved afresh. --cold solves every LP afresh with
linprog, as before hot_lp.py: the same output (the sample's seven reports, the Somme year's
territory), 10 times slower on the Somme's territory, and a region's report (180 000
constraints) went from hours to 6 minutes. --progress says on standard error how far it is.
The LP is solved group by group (cells tied by relations: a cell's range over the whole LP is
its range over its group's relations, the true values meeting every relation), the small groups
packed into LPs of up to 4 000 cells (a small report's cells all in one, as before). In a group
of 4 000 cells or more, each cell is first moved over itself and up to 31 then 255 cells near
it, every other cell held at a point of the true values (local_lp.py: each such point meets every
relation of the group, checked before use); what the points leave goes on to the aimed points
and the cells' own LPs, as above. In a group of 100 000 cells or more (a national territory's,
which no LP over the whole group goes through in hours), a further neighbourhood of 4 096 cells
follows, and a cell the points show unpinned (two integers in its range) gets no LP of its own:
such cells are listed apart (UNPINNED, RANGE NOT SOLVED, `ranges-unsolved=` in the summary),
whether their range is narrowed being unknown. The verdicts do not depend on the grouping: the
sample's seven audits give the same output with every group alone, or every group moved by
neighbourhoods first (CHECK_SECRECY_BIN_CELLS=1, CHECK_SECRECY_LOCAL_FROM=1).
A pinned change
between two periods (synthese's `evolution`) is no count: it is listed apart (PINNED CHANGES,
`changes=` in the summary), what it tells of its two figures being in their own ranges.

Built only from docs/secrecy.md (once README's "Statistical secrecy in the report"), Queries/*.sql,
SPEC §2-§3 and the CSVs themselves (not from the product's secrecy code).

Relation kinds (each instance is checked on DIR0 before use; see check (a)):
  row-order      within one row: listed users <= users <= visits <= requests, logins <= requests,
                 activated accounts <= accounts, listed users <= accounts, parents <= users,
                 a service's users <= visits <= requests, old/new ENT both <= old, new,
                 day-maximum <= period figure, parents using commune services <= active parents ...
  role-total     a `*` role row versus its role rows.  Role comes from the directory (one role per
                 account; SPEC 2.1, report methodology), so accounts, listed users, users, visits,
                 logins, requests (and services, rhythms, migration) of `*` = sum of the roles.
                 With --roles-overlap: only `*` <= sum and part <= `*`.
  multi-total    a total over groups a person can belong to several of (levels, communes, EPCIs,
                 schools): part <= total <= sum of parts.
  commune-parts  a commune versus its schools and its commune agents (agents have no school, so
                 they are disjoint from school members): school + agents <= commune
                 <= sum(schools) + agents.  The agents' accounts per commune are unknown in a
                 territory report: auxiliary LP variables whose sum is the `commune` role's accounts.
  not-activated  a group's accounts not activated are among those of any group holding it
                 (commune and school, EPCI and commune, `*` row and row, a role at a level and
                 the role at every level, a school and its level over all roles): accounts -
                 activated of the part <= the same of the total; a level in a month of
                 parents_niveau_mensuel and that month's `*` row too.
  set-diff       the other differences of nested sets, a part's among its total's, for the same
                 pairs: accounts - listed active users (accounts no listed user of the period
                 is), active - listed active users (users outside the directory), the parents'
                 columns of communes and EPCIs alike; a level's accounts activated during a month
                 (this month's activated - the month before's) among the month's `*` row's; a
                 commune's active parents who used no commune service (or not one of them) among
                 the territory's; a month's active users outside the directory among the period's,
                 and the period's at most the sum of the months'.
  level-schools  a level of the table by role and level versus the schools of that level
                 (persons of level L = union of the members of its schools).
  same-figure    one figure published in two tables: synthesis <-> table by level `*` rows,
                 <-> services' `utilisateurs_actifs_role`, <-> volumes, <-> communes/EPCI `*`,
                 <-> commune-services `*`, a commune's parents in two tables, the synthesis
                 sentences (synthese.csv) and their evolution = period - previous period.
  time-split     monthly / weekly / daily rows versus the period: accounts do not depend on time
                 (equal in every month and in the previous period), activated accounts only grow,
                 visits add up over days and months, users of a sub-period <= users of the period
                 <= sum over sub-periods, one month (week) covering the period gives the period's
                 figures, weekly active (old+new-both) between a day's users and the sum of days.
  features       services by role: sum of a role's service requests = its requests (a request has
                 one service), sum of users / visits >= the role's, a service <= its role; parents'
                 canteen/transport/after-school users and visits versus the services table.
  migration      active users = old ENT users + new ENT users - users found in both (per role).
  hours          visits by hour and weekday/hour: sums equal the period's visits and each day's
                 visits; a busiest day's visits per hour bounded by the hour's visits.
  max-day        figures `..._jour_max`: >= every day's published figure, <= the period's, >=
                 period / active days, `*` >= each role, `*` <= sum of roles; peak <= day's users.
  rate           (off with --no-rates) a published rate or per-active-day figure with its numerator
                 and denominator: (r - half unit) * den <= num <= (r + half unit) * den.
"""
import argparse
import csv
import html
import datetime
import math
import os
import re
import sys
from collections import defaultdict, OrderedDict

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

import hot_lp
import local_lp

INF = float("inf")

# ----------------------------------------------------------------------------------------------
# Reading the reports

KEYS = {  # table -> (key columns, text columns)
    "synthese": (["indicateur"], []),
    "synthese_roles": (["role"], []),
    "synthese_roles_periode_precedente": (["role"], []),
    "tendance_mensuelle": (["mois", "role"], []),
    "adoption_role_niveau": (["role", "niveau"], []),
    "parents_niveau_mensuel": (["mois", "niveau"], []),
    "services_par_role": (["role", "service"], []),
    "communes": (["code_commune"], ["commune", "epci"]),
    "epci": (["epci"], []),
    "communes_parents_services": (["code_commune"], ["commune"]),
    "ecoles": (["uai"], ["ecole", "niveau", "commune", "code_commune"]),
    "migration_bilan": (["role"], []),
    "migration_hebdo": (["semaine"], ["lundi"]),
    "volumes_par_role": (["role"], []),
    "activite_quotidienne": (["jour"], ["jour_semaine"]),
    "peak_concurrent_users": (["jour"], []),
    "heures_chargees": (["heure"], []),
    "rythmes_semaine_heure": (["role", "jour_semaine", "heure"], []),
}
IGNORED = {"fichiers_ingeres", "fichiers_en_echec"}  # the files read: no person counts

# The tables whose rows the report sorts by a count, with that count and what makes a group.
SORTED_BY_COUNT = (
    ("services_par_role", "utilisateurs", lambda k: k[0]),
    ("heures_chargees", "connexions", lambda k: ""),
    ("volumes_par_role", "requetes", lambda k: k[0] == "*"),
)


def is_ratio_col(table, col):
    """Rates, shares and per-active-day figures: never variables."""
    return col.startswith("taux_") or col.startswith("part_") or col.endswith("_par_jour_actif")


class Table:
    def __init__(self, name, header, rows, keycols, textcols):
        self.name, self.header, self.keycols, self.textcols = name, header, keycols, textcols
        self.rows = OrderedDict()  # key tuple -> dict col -> text
        seen = defaultdict(int)
        for r in rows:
            d = dict(zip(header, r + [""] * (len(header) - len(r))))
            k = tuple(d.get(c, "") for c in keycols)
            n = seen[k]
            seen[k] += 1
            self.rows[k if n == 0 else k + ("#%d" % n,)] = d

    def has(self, col):
        return col in self.header


def read_dir(path):
    tabs = {}
    for f in sorted(os.listdir(path)):
        if not f.endswith(".csv"):
            continue
        name = f[:-4]
        with open(os.path.join(path, f), encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        if not rows:
            continue
        header = rows[0]
        keycols, textcols = KEYS.get(name, ([header[0]], []))
        tabs[name] = Table(name, header, rows[1:], keycols, textcols)
    return tabs


def parse_num(text):
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if t == "":
        return None
    t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def decimals(text):
    t = text.strip()
    return len(t.split(",", 1)[1]) if "," in t else 0


# ----------------------------------------------------------------------------------------------
# Linear expressions


class L:
    __slots__ = ("t", "c")

    def __init__(self, t=None, c=0.0):
        self.t = dict(t) if t else {}
        self.c = float(c)

    def __add__(self, o):
        if o is None:
            return None
        if not isinstance(o, L):
            return L(self.t, self.c + o)
        r = L(self.t, self.c + o.c)
        for k, v in o.t.items():
            r.t[k] = r.t.get(k, 0.0) + v
        return r

    __radd__ = __add__

    def __mul__(self, k):
        return L({a: b * k for a, b in self.t.items()}, self.c * k)

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1.0

    def __sub__(self, o):
        if o is None:
            return None
        return self + (-o if isinstance(o, L) else -o)

    def __rsub__(self, o):
        return (-self) + o

    def clean(self):
        self.t = {k: v for k, v in self.t.items() if abs(v) > 1e-12}
        return self


def S(*xs):
    """Sum of expressions; None if any is None."""
    r = L()
    for x in xs:
        if x is None:
            return None
        r = r + x
    return r


def SL(xs):
    return S(*list(xs))


# ----------------------------------------------------------------------------------------------
# The model


class Var:
    def __init__(self, idx, file, key, col, text, lo, hi, true, aux=False):
        self.idx, self.file, self.key, self.col, self.text = idx, file, key, col, text
        self.lo, self.hi, self.true, self.aux = lo, hi, true, aux

    def label(self):
        if self.aux:
            return self.file
        return "%s[%s].%s" % (self.file, "|".join(self.key), self.col)


class Model:
    def __init__(self, pub, truth, N, rates=True, roles_overlap=False):
        """pub: tables as published (hidden cells shown < N / s); truth: the same tables, true values."""
        self.pub, self.truth, self.N = pub, truth, N
        self.rates, self.roles_overlap = rates, roles_overlap
        self.vars = []
        self.vidx = {}
        self.cons = []  # (kind, desc, L, sense)  meaning L (sense) 0, sense '<=' or '=='
        self.problems = []
        self.lt = re.compile(r"^<\s*(\d+)$")
        self.ratio_hidden = 0
        self._collect_hidden()

    # -- cells --------------------------------------------------------------------------------
    def _bounds(self, text):
        m = self.lt.match(text.strip())
        if m:
            return 1.0, float(int(m.group(1)) - 1)
        if text.strip() == "s":
            return float(self.N), INF
        return None

    def hidden_text(self, text):
        return self._bounds(text) is not None

    def _collect_hidden(self):
        for name, tp in self.pub.items():
            if name in IGNORED:
                continue
            t0 = self.truth.get(name)
            for key, row in tp.rows.items():
                for col in tp.header:
                    if col in tp.keycols or col in tp.textcols:
                        continue
                    text = row.get(col, "")
                    b = self._bounds(text)
                    if b is None:
                        continue
                    if is_ratio_col(name, col) or (name == "synthese" and key[0].startswith("Taux")):
                        self.ratio_hidden += 1
                        continue
                    lo, hi = b
                    if name == "synthese" and col == "evolution":
                        lo, hi = -INF, INF  # a signed difference: its marker bounds nothing
                    true = None
                    if t0 is not None and key in t0.rows:
                        true = parse_num(t0.rows[key].get(col, ""))
                    if true is None:
                        self.problems.append("no true value for %s[%s].%s" % (name, "|".join(key), col))
                    v = Var(len(self.vars), name, key, col, text, lo, hi, true)
                    self.vidx[(name, key, col)] = v.idx
                    self.vars.append(v)

    def aux(self, name, lo=0.0, hi=INF):
        if ("aux", name) in self.vidx:
            return L({self.vidx[("aux", name)]: 1.0})
        v = Var(len(self.vars), name, (), "", "", lo, hi, None, aux=True)
        self.vidx[("aux", name)] = v.idx
        self.vars.append(v)
        return L({v.idx: 1.0})

    def T(self, name):
        return self.pub.get(name)

    def cell(self, name, key, col):
        """The cell as a linear expression: constant if published, variable if hidden, 0 if the
        row is absent (tables omit rows whose figures are all 0); None if unknown/empty."""
        t = self.pub.get(name)
        if t is None or not t.has(col):
            return None
        key = tuple(key)
        if key not in t.rows:
            return L()
        i = self.vidx.get((name, key, col))
        if i is not None:
            return L({i: 1.0})
        v = parse_num(t.rows[key].get(col, ""))
        if v is None:
            return None
        return L(c=v)

    def text(self, name, key, col):
        t = self.pub.get(name)
        if t is None or tuple(key) not in t.rows:
            return None
        return t.rows[tuple(key)].get(col)

    def keys(self, name):
        t = self.pub.get(name)
        return list(t.rows.keys()) if t else []

    # -- constraints --------------------------------------------------------------------------
    def add(self, kind, desc, expr, sense):
        if expr is None:
            return
        self.cons.append((kind, desc, expr.clean(), sense))

    def le(self, kind, desc, a, b):  # a <= b
        if a is None or b is None:
            return
        self.add(kind, desc, a - b, "<=")

    def eq(self, kind, desc, a, b):
        if a is None or b is None:
            return
        self.add(kind, desc, a - b, "==")

    def ratio(self, kind, desc, text, num, den, min_dec=0):
        """Published ratio text r = num / den rounded: (r-h)*den <= num <= (r+h)*den."""
        if not self.rates or text is None or num is None or den is None:
            return
        if self.hidden_text(text):
            return
        r = parse_num(text)
        if r is None:
            return
        h = 0.5 * 10 ** (-max(decimals(text), min_dec)) + 1e-9
        self.add(kind, desc + " (low)", den * (r - h) - num, "<=")
        self.add(kind, desc + " (high)", num - den * (r + h), "<=")


# ----------------------------------------------------------------------------------------------
# The relations


def role_rows(m, table, keypos=0, fixed=None):
    """Rows of `table` grouped by the key without its role part: {rest: {role: key}}."""
    g = defaultdict(dict)
    for k in m.keys(table):
        rest = k[:keypos] + k[keypos + 1:]
        g[rest][k[keypos]] = k
    return g


def total_vs_parts(m, kind, label, total, parts, exact):
    """total = sum(parts) if exact else part <= total <= sum(parts)."""
    if total is None or not parts or any(p is None for p in parts):
        return  # no detail row at all: the table does not break this total down
    if exact:
        m.eq(kind, label + ": total = sum of parts", total, SL(parts))
    else:
        m.le(kind, label + ": total <= sum of parts", total, SL(parts))
    for i, p in enumerate(parts):
        m.le(kind, label + ": part %d <= total" % i, p, total)


def build(m):
    C = m.cell
    N = m.N
    role_exact = not m.roles_overlap

    # ---------------- period shape: days, months, weeks -----------------------------------------
    days = []  # (date, jour_semaine, key)
    for k in m.keys("activite_quotidienne"):
        days.append((k[0], m.text("activite_quotidienne", k, "jour_semaine"), k))
    active_days = []
    for d, wd, k in days:
        u = C("activite_quotidienne", k, "utilisateurs_actifs")
        if u is not None and (u.t or u.c > 0):
            active_days.append(d)
    D = len(active_days)
    months_of_period = sorted({d[:7] for d, _, _ in days})
    last_month = max(months_of_period) if months_of_period else None

    def isoweek(d):
        y, w, _ = datetime.date.fromisoformat(d).isocalendar()
        return "%d-W%02d" % (y, w)

    # ---------------- row orderings ------------------------------------------------------------
    K = "row-order"
    for tab in ("synthese_roles", "synthese_roles_periode_precedente"):
        for k in m.keys(tab):
            c = lambda col: C(tab, k, col)
            lab = "%s[%s]" % (tab, k[0])
            m.le(K, lab + " listed <= users", c("utilisateurs_actifs_inscrits"), c("utilisateurs_actifs"))
            m.le(K, lab + " users <= visits", c("utilisateurs_actifs"), c("connexions"))
            m.le(K, lab + " visits <= requests", c("connexions"), c("requetes"))
            m.le(K, lab + " logins <= requests", c("authentifications"), c("requetes"))
            m.le(K, lab + " activated <= accounts", c("comptes_actives"), c("comptes"))
            m.le(K, lab + " listed users <= accounts", c("utilisateurs_actifs_inscrits"), c("comptes"))
    for tab in ("tendance_mensuelle", "adoption_role_niveau", "parents_niveau_mensuel", "ecoles",
                "communes", "epci"):
        for k in m.keys(tab):
            c = lambda col: C(tab, k, col)
            lab = "%s[%s]" % (tab, "|".join(k))
            m.le(K, lab + " listed <= users", c("utilisateurs_actifs_inscrits"), c("utilisateurs_actifs"))
            m.le(K, lab + " activated <= accounts", c("comptes_actives"), c("comptes"))
            m.le(K, lab + " listed users <= accounts", c("utilisateurs_actifs_inscrits"), c("comptes"))
            if tab == "tendance_mensuelle":
                m.le(K, lab + " users <= visits", c("utilisateurs_actifs"), c("connexions"))
            if tab in ("ecoles", "communes", "epci"):
                m.le(K, lab + " parents <= users", c("parents_actifs"), c("utilisateurs_actifs"))
            if tab in ("communes", "epci"):
                m.le(K, lab + " listed parents <= parents", c("parents_actifs_inscrits"), c("parents_actifs"))
                m.le(K, lab + " listed parents <= listed users", c("parents_actifs_inscrits"),
                     c("utilisateurs_actifs_inscrits"))
                m.le(K, lab + " parent accounts <= accounts", c("comptes_parents"), c("comptes"))
                m.le(K, lab + " listed parents <= parent accounts", c("parents_actifs_inscrits"),
                     c("comptes_parents"))
    for k in m.keys("services_par_role"):
        c = lambda col: C("services_par_role", k, col)
        lab = "services_par_role[%s]" % "|".join(k)
        m.le(K, lab + " users <= visits", c("utilisateurs"), c("connexions"))
        m.le(K, lab + " visits <= requests", c("connexions"), c("requetes"))
        m.le(K, lab + " users <= role's users", c("utilisateurs"), c("utilisateurs_actifs_role"))
    for k in m.keys("communes_parents_services"):
        c = lambda col: C("communes_parents_services", k, col)
        lab = "communes_parents_services[%s]" % k[0]
        svc = [c("parents_cantine"), c("parents_transport"), c("parents_periscolaire")]
        for s, nm in zip(svc, ("cantine", "transport", "periscolaire")):
            m.le(K, lab + " %s <= any service" % nm, s, c("parents_services_commune"))
        m.le(K, lab + " any service <= sum of services", c("parents_services_commune"), S(*svc))
        m.le(K, lab + " any service <= active parents", c("parents_services_commune"), c("parents_actifs"))
        m.le(K, lab + " sum of service users <= service visits", S(*svc),
             c("connexions_parents_services_commune"))
        m.le(K, lab + " agents <= agents' visits", c("agents_communaux_actifs"), c("connexions_agents_communaux"))
        if k[0] != "*" and role_exact:
            m.le(K, lab + " parents + agents <= commune users",
                 S(c("parents_actifs"), c("agents_communaux_actifs")),
                 C("communes", k, "utilisateurs_actifs"))
    for tab in ("migration_bilan", "migration_hebdo"):
        for k in m.keys(tab):
            c = lambda col: C(tab, k, col)
            both = c("utilisateurs_retrouves") if tab == "migration_bilan" else c("utilisateurs_les_deux")
            lab = "%s[%s]" % (tab, k[0])
            m.le(K, lab + " both <= old", both, c("utilisateurs_ancien_ent"))
            m.le(K, lab + " both <= new", both, c("utilisateurs_nouvel_ent"))
    for k in m.keys("volumes_par_role"):
        c = lambda col: C("volumes_par_role", k, col)
        lab = "volumes_par_role[%s]" % k[0]
        m.le(K, lab + " visits <= requests", c("connexions"), c("requetes"))
        m.le(K, lab + " logins <= requests", c("authentifications"), c("requetes"))
        m.le(K, lab + " day max users <= day max visits", c("utilisateurs_jour_max"), c("connexions_jour_max"))
        m.le(K, lab + " day max visits <= day max requests", c("connexions_jour_max"), c("requetes_jour_max"))
        m.le(K, lab + " day max visits <= visits", c("connexions_jour_max"), c("connexions"))
        m.le(K, lab + " day max requests <= requests", c("requetes_jour_max"), c("requetes"))
    for k in m.keys("activite_quotidienne"):
        m.le(K, "activite_quotidienne[%s] users <= visits" % k[0],
             C("activite_quotidienne", k, "utilisateurs_actifs"), C("activite_quotidienne", k, "connexions"))
    for k in m.keys("heures_chargees"):
        m.le(K, "heures_chargees[%s] busiest day <= hour's visits" % k[0],
             C("heures_chargees", k, "connexions_jour_le_plus_charge"), C("heures_chargees", k, "connexions"))

    # ---------------- the published order of the tables sorted by a count ----------------------
    # Each role's services by users (most first), the hours by visits, the roles by requests
    # (the total last): a reader who sees a row above the next one knows its count is at
    # least the next one's. The report puts the rows whose count is hidden last in their
    # group, by key (docs/secrecy.md, "The rules"): their places say nothing,
    # so no order is stated inside that trailing block, nor between it and the row above it.
    K = "sort-order"
    for tab, col, group in SORTED_BY_COUNT:
        keys = m.keys(tab)
        for i in range(len(keys) - 1):
            a_, b_ = keys[i], keys[i + 1]
            if group(a_) != group(b_):
                continue
            tail = [k for k in keys[i + 1:] if group(k) == group(b_)]
            if all(m.hidden_text(m.text(tab, k, col) or "") for k in tail):
                continue
            m.le(K, "%s[%s] after [%s]: %s" % (tab, "|".join(b_), "|".join(a_), col), C(tab, b_, col), C(tab, a_, col))

    # ---------------- role totals ----------------------------------------------------------------
    K = "role-total"
    role_cols = {
        "synthese_roles": ["utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions",
                           "authentifications", "requetes", "comptes", "comptes_actives"],
        "synthese_roles_periode_precedente": ["utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions",
                                              "authentifications", "requetes", "comptes", "comptes_actives"],
        "tendance_mensuelle": ["utilisateurs_actifs", "utilisateurs_actifs_inscrits", "connexions", "comptes",
                               "comptes_actives"],
        "services_par_role": ["utilisateurs", "connexions", "requetes"],
        "migration_bilan": ["utilisateurs_ancien_ent", "utilisateurs_nouvel_ent", "utilisateurs_retrouves"],
        "volumes_par_role": ["connexions", "authentifications", "requetes"],
        "rythmes_semaine_heure": ["connexions"],
    }
    # accounts and listed users have the one role of their account: always exact
    always_exact = {"comptes", "comptes_actives", "utilisateurs_actifs_inscrits"}
    for tab, cols in role_cols.items():
        t = m.T(tab)
        if t is None:
            continue
        pos = t.keycols.index("role")
        for rest, byrole in role_rows(m, tab, pos).items():
            if "*" not in byrole:
                continue
            tk = byrole["*"]
            pk = [k for r, k in byrole.items() if r != "*"]
            for col in cols:
                total_vs_parts(m, K, "%s[%s].%s" % (tab, "|".join(tk), col), C(tab, tk, col),
                               [C(tab, k, col) for k in pk], role_exact or col in always_exact)

    # users outside the directory (users - listed users) of one role are among those of `*`
    # (needed only with --roles-overlap; implied otherwise)
    for tab in ("synthese_roles", "synthese_roles_periode_precedente", "tendance_mensuelle"):
        t = m.T(tab)
        if t is None:
            continue
        pos = t.keycols.index("role")
        for rest, byrole in role_rows(m, tab, pos).items():
            if "*" not in byrole:
                continue
            tk = byrole["*"]
            un = lambda k: (None if C(tab, k, "utilisateurs_actifs") is None
                            else C(tab, k, "utilisateurs_actifs") - C(tab, k, "utilisateurs_actifs_inscrits"))
            for r, k in byrole.items():
                if r != "*":
                    m.le(K, "%s[%s] unlisted users <= those of *" % (tab, "|".join(k)), un(k), un(tk))

    # ---------------- totals over groups a person may belong to several of --------------------
    K = "multi-total"
    # levels of one role (table by role and level), levels of one month (parents)
    for tab, grp in (("adoption_role_niveau", 0), ("parents_niveau_mensuel", 0)):
        g = defaultdict(dict)
        for k in m.keys(tab):
            g[k[grp]][k[1]] = k
        for head, bylev in g.items():
            if "*" not in bylev:
                continue
            parts = [k for lv, k in bylev.items() if lv != "*"]
            for col in ("comptes", "comptes_actives", "utilisateurs_actifs", "utilisateurs_actifs_inscrits"):
                total_vs_parts(m, K, "%s[%s|*].%s" % (tab, head, col), C(tab, bylev["*"], col),
                               [C(tab, k, col) for k in parts], False)
    place_cols = ["comptes", "comptes_actives", "utilisateurs_actifs", "utilisateurs_actifs_inscrits",
                  "comptes_parents", "parents_actifs", "parents_actifs_inscrits"]
    for tab in ("communes", "epci"):
        ks = m.keys(tab)
        if ("*",) not in ks:
            continue
        parts = [k for k in ks if k != ("*",)]
        for col in place_cols:
            total_vs_parts(m, K, "%s[*].%s" % (tab, col), C(tab, ("*",), col), [C(tab, k, col) for k in parts], False)
    ks = m.keys("communes_parents_services")
    if ("*",) in ks:
        parts = [k for k in ks if k != ("*",)]
        for col in ("parents_actifs", "parents_cantine", "parents_transport", "parents_periscolaire",
                    "parents_services_commune", "connexions_parents_services_commune"):
            total_vs_parts(m, K, "communes_parents_services[*].%s" % col, C("communes_parents_services", ("*",), col),
                           [C("communes_parents_services", k, col) for k in parts], False)
        # a commune agent has exactly one commune (SPEC 1.2): agents add up over communes
        for col in ("agents_communaux_actifs", "connexions_agents_communaux"):
            total_vs_parts(m, "role-total" if False else K, "communes_parents_services[*].%s" % col,
                           C("communes_parents_services", ("*",), col),
                           [C("communes_parents_services", k, col) for k in parts], True)
    # EPCI versus its communes
    K2 = "epci-communes"
    if m.T("communes") is not None and m.T("epci") is not None:
        byepci = defaultdict(list)
        for k in m.keys("communes"):
            if k == ("*",):
                continue
            byepci[m.text("communes", k, "epci")].append(k)
        for ek in m.keys("epci"):
            if ek == ("*",):
                continue
            comms = byepci.get(ek[0], [])
            for col in place_cols:
                total_vs_parts(m, K2, "epci[%s].%s vs its communes" % (ek[0], col), C("epci", ek, col),
                               [C("communes", k, col) for k in comms], False)

    # ---------------- a commune versus its schools and agents -----------------------------------
    K = "commune-parts"
    if m.T("communes") is not None and m.T("ecoles") is not None:
        schools = defaultdict(list)
        for k in m.keys("ecoles"):
            schools[m.text("ecoles", k, "code_commune")].append(k)
        # the row '' gathers users with no known commune (unknown users without a school): not a
        # commune made of schools and agents
        comms = [k for k in m.keys("communes") if k not in (("*",), ("",))]
        agents_acc = {}
        agents_act = {}
        for ck in comms:
            code = ck[0]
            ac = m.aux("aux:agent_accounts[%s]" % code)
            aa = m.aux("aux:agent_activated[%s]" % code)
            al = m.aux("aux:agent_listed_active[%s]" % code)
            au = C("communes_parents_services", ck, "agents_communaux_actifs")
            agents_acc[code], agents_act[code] = ac, aa
            m.le(K, "agents of %s: activated <= accounts" % code, aa, ac)
            m.le(K, "agents of %s: listed active <= accounts" % code, al, ac)
            m.le(K, "agents of %s: listed active <= active" % code, al, au)
            agent = {"comptes": ac, "comptes_actives": aa, "utilisateurs_actifs": au,
                     "utilisateurs_actifs_inscrits": al}
            sk = schools.get(code, [])
            for col, ag in agent.items():
                tot = C("communes", ck, col)
                parts = [C("ecoles", k, col) for k in sk]
                if tot is None or ag is None or any(p is None for p in parts):
                    continue
                m.le(K, "communes[%s].%s <= sum of schools + agents" % (code, col), tot, S(SL(parts), ag))
                if not sk:
                    m.le(K, "communes[%s].%s >= agents" % (code, col), ag, tot)
                for i, p in enumerate(parts):
                    m.le(K, "communes[%s].%s >= school %s + agents" % (code, col, sk[i][0]), S(p, ag), tot)
            tot = C("communes", ck, "parents_actifs")
            parts = [C("ecoles", k, "parents_actifs") for k in sk]
            if tot is not None and all(p is not None for p in parts):
                m.le(K, "communes[%s].parents <= sum of schools" % code, tot, SL(parts))
                for i, p in enumerate(parts):
                    m.le(K, "communes[%s].parents >= school %s" % (code, sk[i][0]), p, tot)
        # every commune agent account has exactly one commune (SPEC 1.2: code_commune required)
        for col, agg in (("comptes", agents_acc), ("comptes_actives", agents_act)):
            tot = C("adoption_role_niveau", ("commune", "*"), col)
            if tot is not None and agg:
                m.eq(K, "agents' %s: sum over communes = role commune" % col, SL(agg.values()), tot)

    # ---------------- differences of nested sets: a part's are among its total's --------------
    # A row publishes sets and subsets of them; each difference is itself a set of the group,
    # so a part's is among its total's. The accounts not activated (kind `not-activated`: an
    # account is activated or not wherever it counts, SPEC 2.4: activated_on is the
    # account's); and (kind `set-diff`) the accounts no listed user of the period is
    # (accounts - listed active users: SPEC 2.4, a listed active user of a group is one of its
    # accounts, whence "never exceeds 1"), the active users outside the directory (active -
    # listed active), the same for the parents' columns of the communes and EPCIs. The pairs:
    # a commune and its schools, an EPCI and its communes, a `*` row and the rows of its
    # table, a role at a level and the role at every level, the parents at a level in a month
    # and at every level; a school within its level over all roles (at most the sum of the
    # roles'). Over the months of parents_niveau_mensuel, the accounts activated during a
    # month (this month's activated - the month before's) at a level are among the month's
    # at every level (`set-diff`).
    def minus(t, k, a, b):
        x, y = C(t, k, a), C(t, k, b)
        return None if x is None or y is None else x - y

    # (those of every role, the only ones adoption_role_niveau has: a school's row within its level)
    all_roles_diffs = (("not-activated", "comptes", "comptes_actives", "accounts not activated"),
                       ("set-diff", "comptes", "utilisateurs_actifs_inscrits", "accounts no listed user is"),
                       ("set-diff", "utilisateurs_actifs", "utilisateurs_actifs_inscrits", "active users outside the directory"))
    diffs = all_roles_diffs + (("set-diff", "comptes_parents", "parents_actifs_inscrits", "parents' accounts no listed parent is"),
                               ("set-diff", "parents_actifs", "parents_actifs_inscrits", "active parents outside the directory"))
    pairs = []
    for total, part, col in (("communes", "ecoles", "code_commune"), ("epci", "communes", "epci")):
        if m.T(total) is None or m.T(part) is None:
            continue
        totals = set(m.keys(total))
        for k in m.keys(part):
            v = m.text(part, k, col)
            if v not in (None, "", "*") and (v,) in totals and k != ("*",):
                pairs.append(((total, (v,)), (part, k)))
    for t in ("communes", "ecoles", "epci"):
        if ("*",) in m.keys(t):
            pairs += [((t, ("*",)), (t, k)) for k in m.keys(t) if k not in (("*",), ("",))]
    for t in ("adoption_role_niveau", "parents_niveau_mensuel"):
        tkeys = m.keys(t)
        for k in tkeys:
            if len(k) == 2 and k[1] not in ("*", "") and (k[0], "*") in tkeys:
                pairs.append(((t, (k[0], "*")), (t, k)))
    for (tt, tk), (pt, pk) in pairs:
        for kind, a, b, what in diffs:
            m.le(kind, "%s[%s] %s <= %s[%s]'s" % (pt, "|".join(pk), what, tt, "|".join(tk)),
                 minus(pt, pk, a, b), minus(tt, tk, a, b))
    # the parents of a commune who used none of its services (or not one of them), among the
    # territory's: a parent's services are the person's, not the commune's (Queries/
    # communes_parents_services.sql), so a commune's parents without them have none anywhere
    cps = "communes_parents_services"
    if ("*",) in m.keys(cps):
        services = ("parents_cantine", "parents_transport", "parents_periscolaire")
        cps_diffs = [("parents_actifs", b) for b in ("parents_services_commune",) + services] + \
                    [("parents_services_commune", b) for b in services]
        for k in m.keys(cps):
            if k in (("*",), ("",)):
                continue
            for a, b in cps_diffs:
                m.le("set-diff", "%s[%s] %s - %s <= *'s" % (cps, k[0], a, b), minus(cps, k, a, b), minus(cps, ("*",), a, b))
    if m.T("adoption_role_niveau") is not None and m.T("ecoles") is not None:
        akeys = m.keys("adoption_role_niveau")
        for k in m.keys("ecoles"):
            lev = m.text("ecoles", k, "niveau")
            rows = [a for a in akeys if len(a) == 2 and a[1] == lev and a[0] != "*"]
            if lev in (None, "", "*") or not rows:
                continue
            for kind, a, b, what in all_roles_diffs:
                parts = [minus("adoption_role_niveau", r, a, b) for r in rows]
                if any(p is None for p in parts):
                    continue
                m.le(kind, "ecoles[%s] %s <= level %s's (all roles)" % (k[0], what, lev), minus("ecoles", k, a, b), SL(parts))
    if m.T("parents_niveau_mensuel") is not None:
        pkeys = m.keys("parents_niveau_mensuel")
        months = sorted({k[0] for k in pkeys})
        levels = {k[1] for k in pkeys if k[1] not in ("*", "")}

        def activated_during(month, before, lev):
            x = C("parents_niveau_mensuel", (month, lev), "comptes_actives")
            y = C("parents_niveau_mensuel", (before, lev), "comptes_actives")
            return None if x is None or y is None else x - y

        for a, b in zip(months, months[1:]):
            if (a, "*") not in pkeys or (b, "*") not in pkeys:
                continue
            for lev in levels:
                if (a, lev) in pkeys and (b, lev) in pkeys:
                    m.le("set-diff", "parents_niveau_mensuel[%s|%s] accounts activated during the month <= [%s|*]'s" % (b, lev, b),
                         activated_during(b, a, lev), activated_during(b, a, "*"))

    # ---------------- levels versus schools ------------------------------------------------------
    K = "level-schools"
    if m.T("adoption_role_niveau") is not None and m.T("ecoles") is not None:
        bylevel = defaultdict(list)
        for k in m.keys("ecoles"):
            bylevel[m.text("ecoles", k, "niveau")].append(k)
        roles = sorted({k[0] for k in m.keys("adoption_role_niveau")})
        for lev, sk in bylevel.items():
            if lev in ("", "*"):
                continue
            for col in ("comptes", "comptes_actives", "utilisateurs_actifs", "utilisateurs_actifs_inscrits"):
                lvl = SL(C("adoption_role_niveau", (r, lev), col) for r in roles)
                parts = [C("ecoles", k, col) for k in sk]
                if lvl is None or any(p is None for p in parts):
                    continue
                if role_exact:
                    m.le(K, "level %s.%s (all roles) <= sum of its schools" % (lev, col), lvl, SL(parts))
                for i, p in enumerate(parts):
                    m.le(K, "school %s.%s <= level %s (all roles)" % (sk[i][0], col, lev), p, lvl)
            lvl = C("adoption_role_niveau", ("parent", lev), "utilisateurs_actifs")
            parts = [C("ecoles", k, "parents_actifs") for k in sk]
            if lvl is not None and all(p is not None for p in parts):
                m.le(K, "level %s parents <= sum of its schools' parents" % lev, lvl, SL(parts))
                for i, p in enumerate(parts):
                    m.le(K, "school %s parents <= level %s parents" % (sk[i][0], lev), p, lvl)

    # ---------------- same figure in two places --------------------------------------------------
    K = "same-figure"
    SR = "synthese_roles"
    for k in m.keys("adoption_role_niveau"):
        if k[1] != "*":
            continue
        for col in ("comptes", "comptes_actives", "utilisateurs_actifs", "utilisateurs_actifs_inscrits"):
            m.eq(K, "adoption_role_niveau[%s|*].%s = synthese_roles" % (k[0], col),
                 C("adoption_role_niveau", k, col), C(SR, (k[0],), col))
    for k in m.keys("services_par_role"):
        m.eq(K, "services_par_role[%s].utilisateurs_actifs_role = synthese_roles users" % "|".join(k),
             C("services_par_role", k, "utilisateurs_actifs_role"), C(SR, (k[0],), "utilisateurs_actifs"))
    for k in m.keys("volumes_par_role"):
        for col in ("connexions", "authentifications", "requetes"):
            m.eq(K, "volumes_par_role[%s].%s = synthese_roles" % (k[0], col), C("volumes_par_role", k, col),
                 C(SR, (k[0],), col))
    for tab in ("communes", "epci"):
        if ("*",) not in m.keys(tab):
            continue
        for col, (role, c2) in {"comptes": ("*", "comptes"), "comptes_actives": ("*", "comptes_actives"),
                                "utilisateurs_actifs": ("*", "utilisateurs_actifs"),
                                "utilisateurs_actifs_inscrits": ("*", "utilisateurs_actifs_inscrits"),
                                "comptes_parents": ("parent", "comptes"),
                                "parents_actifs": ("parent", "utilisateurs_actifs"),
                                "parents_actifs_inscrits": ("parent", "utilisateurs_actifs_inscrits")}.items():
            m.eq(K, "%s[*].%s = synthese_roles[%s].%s" % (tab, col, role, c2), C(tab, ("*",), col),
                 C(SR, (role,), c2))
    if ("*",) in m.keys("communes_parents_services"):
        cps = lambda col: C("communes_parents_services", ("*",), col)
        m.eq(K, "communes_parents_services[*].parents = synthese_roles parents", cps("parents_actifs"),
             C(SR, ("parent",), "utilisateurs_actifs"))
        m.eq(K, "communes_parents_services[*].agents = synthese_roles commune users",
             cps("agents_communaux_actifs"), C(SR, ("commune",), "utilisateurs_actifs"))
        m.eq(K, "communes_parents_services[*].agents' visits = synthese_roles commune visits",
             cps("connexions_agents_communaux"), C(SR, ("commune",), "connexions"))
    if m.T("communes_parents_services") is not None and m.T("communes") is not None:
        cps_keys = set(m.keys("communes_parents_services"))
        for k in m.keys("communes"):
            if k == ("*",):
                continue
            # a commune without a row in communes_parents_services has no active parent
            m.eq(K, "communes_parents_services[%s].parents = communes" % k[0],
                 C("communes_parents_services", k, "parents_actifs") if k in cps_keys else L(),
                 C("communes", k, "parents_actifs"))
    # the synthesis' sentences (synthese.csv)
    ind = {"ensemble": "*", "parents": "parent", "enseignants": "teacher", "élèves": "student",
           "personnels": "staff", "agents communaux": "commune", "inconnus (hors annuaire)": "unknown"}
    what = {"Utilisateurs actifs": "utilisateurs_actifs", "Comptes activés": "comptes_actives",
            "Connexions": "connexions", "Authentifications": "authentifications",
            "Comptes": "comptes", "Requêtes": "requetes"}
    rate_ind = {"Taux d'activation": ("comptes_actives", "comptes"),
                "Taux d'actifs": ("utilisateurs_actifs_inscrits", "comptes")}
    for k in m.keys("synthese"):
        lab = k[0]
        if " — " not in lab:
            continue
        w, who = lab.split(" — ", 1)
        role = ind.get(who)
        if role is None:
            continue
        if w in what:
            col = what[w]
            p, q, e = (C("synthese", k, c) for c in ("periode", "periode_precedente", "evolution"))
            m.eq(K, "synthese[%s].periode = synthese_roles" % lab, p, C(SR, (role,), col))
            m.eq(K, "synthese[%s].periode_precedente = previous period" % lab, q,
                 C("synthese_roles_periode_precedente", (role,), col))
            if e is not None and p is not None and q is not None:
                m.eq(K, "synthese[%s].evolution = periode - precedente" % lab, e, p - q)
        elif w in rate_ind:
            num, den = rate_ind[w]
            for c, tab in (("periode", SR), ("periode_precedente", "synthese_roles_periode_precedente")):
                m.ratio("rate", "synthese[%s].%s" % (lab, c), m.text("synthese", k, c),
                        C(tab, (role,), num), C(tab, (role,), den))

    # ---------------- time: months, weeks, days, previous period ---------------------------------
    K = "time-split"
    SRP = "synthese_roles_periode_precedente"
    for k in m.keys(SRP):
        if not m.keys(SR) or (k[0],) not in m.pub[SR].rows and k[0] != "*":
            pass
        m.eq(K, "%s[%s] accounts = period's (accounts do not depend on time)" % (SRP, k[0]),
             C(SRP, k, "comptes"), C(SR, k, "comptes"))
        m.le(K, "%s[%s] activated <= period's" % (SRP, k[0]), C(SRP, k, "comptes_actives"), C(SR, k, "comptes_actives"))
    for k in m.keys(SR):  # a role with accounts appears in both
        if k not in (m.pub[SRP].rows if m.T(SRP) else {}):
            if m.T(SRP) is not None:
                m.eq(K, "%s[%s] accounts = period's (row absent)" % (SRP, k[0]), L(), C(SR, k, "comptes"))
    for tab, ref, refkey in (("tendance_mensuelle", SR, lambda k: (k[1],)),
                             ("parents_niveau_mensuel", "adoption_role_niveau", lambda k: ("parent", k[1]))):
        t = m.T(tab)
        if t is None:
            continue
        bygroup = defaultdict(dict)
        for k in m.keys(tab):
            bygroup[k[1]][k[0]] = k
        single = len(months_of_period) == 1
        for grp, bymonth in bygroup.items():
            rk = refkey((None, grp))
            mks = [bymonth[mo] for mo in sorted(bymonth)]
            for mk in mks:
                lab = "%s[%s]" % (tab, "|".join(mk))
                m.eq(K, lab + " accounts = period's", C(tab, mk, "comptes"), C(ref, rk, "comptes"))
                if mk[0] == last_month:
                    m.eq(K, lab + " activated (last month) = period's", C(tab, mk, "comptes_actives"),
                         C(ref, rk, "comptes_actives"))
                else:
                    m.le(K, lab + " activated <= period's", C(tab, mk, "comptes_actives"),
                         C(ref, rk, "comptes_actives"))
            for a, b in zip(mks, mks[1:]):
                m.le(K, "%s[%s] activated <= next month's" % (tab, "|".join(a)), C(tab, a, "comptes_actives"),
                     C(tab, b, "comptes_actives"))
            for col in ("utilisateurs_actifs", "utilisateurs_actifs_inscrits"):
                tot = C(ref, rk, col)
                parts = [C(tab, mk, col) for mk in mks]
                if single and len(mks) == 1:
                    m.eq(K, "%s[%s].%s (one month) = period's" % (tab, "|".join(mks[0]), col), parts[0], tot)
                else:
                    total_vs_parts(m, K, "%s[*|%s].%s months vs period" % (tab, grp, col), tot, parts, False)
            # a month's active users outside the directory are among the period's (and the
            # period's among the months'): a difference of nested sets, like `set-diff`'s
            unlisted = [minus(tab, mk, "utilisateurs_actifs", "utilisateurs_actifs_inscrits") for mk in mks]
            total_vs_parts(m, "set-diff", "%s[*|%s] unlisted users: months vs period" % (tab, grp),
                           minus(ref, rk, "utilisateurs_actifs", "utilisateurs_actifs_inscrits"), unlisted, False)
            if t.has("connexions"):
                m.eq(K, "%s[*|%s] visits: sum of months = period's" % (tab, grp),
                     SL(C(tab, mk, "connexions") for mk in mks), C(ref, rk, "connexions"))
    # days
    if days:
        aq = lambda k, col: C("activite_quotidienne", k, col)
        m.eq(K, "activite_quotidienne: sum of days' visits = period's visits",
             SL(aq(k, "connexions") for _, _, k in days), C(SR, ("*",), "connexions"))
        total_vs_parts(m, K, "activite_quotidienne users: days vs period", C(SR, ("*",), "utilisateurs_actifs"),
                       [aq(k, "utilisateurs_actifs") for _, _, k in days], False)
        for d, _, k in days:
            m.le(K, "peak_concurrent_users[%s] <= day's users" % d, C("peak_concurrent_users", (d,), "pic_utilisateurs_simultanes"),
                 aq(k, "utilisateurs_actifs"))
    # weeks
    mh = m.keys("migration_hebdo")
    MB = "migration_bilan"
    if mh:
        c = lambda k, col: C("migration_hebdo", k, col)
        if len(mh) == 1:
            k = mh[0]
            m.eq(K, "migration_hebdo[%s] (one week) old = period's" % k[0], c(k, "utilisateurs_ancien_ent"),
                 C(MB, ("*",), "utilisateurs_ancien_ent"))
            m.eq(K, "migration_hebdo[%s] (one week) new = period's" % k[0], c(k, "utilisateurs_nouvel_ent"),
                 C(MB, ("*",), "utilisateurs_nouvel_ent"))
            m.eq(K, "migration_hebdo[%s] (one week) both = period's" % k[0], c(k, "utilisateurs_les_deux"),
                 C(MB, ("*",), "utilisateurs_retrouves"))
        else:
            for col, col2 in (("utilisateurs_ancien_ent", "utilisateurs_ancien_ent"),
                              ("utilisateurs_nouvel_ent", "utilisateurs_nouvel_ent")):
                total_vs_parts(m, K, "migration_hebdo %s: weeks vs period" % col, C(MB, ("*",), col2),
                               [c(k, col) for k in mh], False)
        ew = {}
        for k in mh:
            e = S(c(k, "utilisateurs_ancien_ent"), c(k, "utilisateurs_nouvel_ent"))
            e = None if e is None or c(k, "utilisateurs_les_deux") is None else e - c(k, "utilisateurs_les_deux")
            ew[k[0]] = e
            m.le(K, "migration_hebdo[%s] active (old+new-both) <= period's users" % k[0], e,
                 C(SR, ("*",), "utilisateurs_actifs"))
            wd = [kk for d, _, kk in days if isoweek(d) == k[0]]
            if wd:
                total_vs_parts(m, K, "migration_hebdo[%s] active vs its days" % k[0], e,
                               [C("activite_quotidienne", kk, "utilisateurs_actifs") for kk in wd], False)
        if len(mh) > 1 and all(e is not None for e in ew.values()):
            m.le(K, "period's users <= sum of weeks' active", C(SR, ("*",), "utilisateurs_actifs"), SL(ew.values()))

    # ---------------- services ---------------------------------------------------------------------
    K = "features"
    byrole = defaultdict(list)
    for k in m.keys("services_par_role"):
        byrole[k[0]].append(k)
    for role, ks in byrole.items():
        sp = lambda k, col: C("services_par_role", k, col)
        m.eq(K, "services_par_role[%s]: sum of services' requests = role's requests" % role,
             SL(sp(k, "requetes") for k in ks), C(SR, (role,), "requetes"))
        m.le(K, "services_par_role[%s]: role's users <= sum of services' users" % role,
             C(SR, (role,), "utilisateurs_actifs"), SL(sp(k, "utilisateurs") for k in ks))
        m.le(K, "services_par_role[%s]: role's visits <= sum of services' visits" % role,
             C(SR, (role,), "connexions"), SL(sp(k, "connexions") for k in ks))
        for k in ks:
            m.le(K, "services_par_role[%s] visits <= role's visits" % "|".join(k), sp(k, "connexions"),
                 C(SR, (role,), "connexions"))
    if ("*",) in m.keys("communes_parents_services") and m.T("services_par_role") is not None:
        cps = lambda col: C("communes_parents_services", ("*",), col)
        for col, f in (("parents_cantine", "cantine"), ("parents_transport", "transport"),
                       ("parents_periscolaire", "periscolaire")):
            m.eq(K, "communes_parents_services[*].%s = services_par_role[parent|%s] users" % (col, f), cps(col),
                 C("services_par_role", ("parent", f), "utilisateurs"))
        m.eq(K, "communes_parents_services[*] service visits = services_par_role parent visits",
             cps("connexions_parents_services_commune"),
             SL(C("services_par_role", ("parent", f), "connexions") for f in ("cantine", "transport", "periscolaire")))

    # ---------------- migration ----------------------------------------------------------------------
    K = "migration"
    for k in m.keys(MB):
        c = lambda col: C(MB, k, col)
        e = S(c("utilisateurs_ancien_ent"), c("utilisateurs_nouvel_ent"))
        if e is not None and c("utilisateurs_retrouves") is not None:
            m.eq(K, "migration_bilan[%s]: old + new - both = active users" % k[0], e - c("utilisateurs_retrouves"),
                 C(SR, k, "utilisateurs_actifs"))
    for k in m.keys(SR):  # a role with active users has a migration row
        if m.T(MB) is not None and k not in m.pub[MB].rows:
            m.eq(K, "migration_bilan[%s] absent: no active user" % k[0], C(SR, k, "utilisateurs_actifs"), L())

    # ---------------- hours -------------------------------------------------------------------------
    K = "hours"
    ry = defaultdict(list)  # role -> keys
    for k in m.keys("rythmes_semaine_heure"):
        ry[k[0]].append(k)
    for role, ks in ry.items():
        m.eq(K, "rythmes[%s]: sum over weekday/hour = role's visits" % role,
             SL(C("rythmes_semaine_heure", k, "connexions") for k in ks), C(SR, (role,), "connexions"))
    if "*" in ry and days:
        for wd in sorted({w for _, w, _ in days}):
            dk = [k for _, w, k in days if w == wd]
            m.eq(K, "rythmes[*|%s]: sum over hours = the days' visits" % wd,
                 SL(C("rythmes_semaine_heure", k, "connexions") for k in ry["*"] if k[1] == wd),
                 SL(C("activite_quotidienne", k, "connexions") for k in dk))
    hk = m.keys("heures_chargees")
    if hk:
        m.eq(K, "heures_chargees: sum of hours = period's visits", SL(C("heures_chargees", k, "connexions") for k in hk),
             C(SR, ("*",), "connexions"))
        nwd = defaultdict(int)
        for d, w, k in days:
            if d in active_days:
                nwd[w] += 1
        for k in hk:
            n = C("heures_chargees", k, "connexions")
            mx = C("heures_chargees", k, "connexions_jour_le_plus_charge")
            if "*" in ry:
                m.eq(K, "heures_chargees[%s] = rythmes[*] summed over weekdays" % k[0], n,
                     SL(C("rythmes_semaine_heure", kk, "connexions") for kk in ry["*"] if kk[2] == k[0]))
                for kk in ry["*"]:
                    if kk[2] == k[0] and mx is not None and nwd.get(kk[1]):
                        m.le(K, "rythmes[%s] <= days of that weekday x busiest day of hour %s" % ("|".join(kk), k[0]),
                             C("rythmes_semaine_heure", kk, "connexions"), mx * nwd[kk[1]])
            if mx is not None and n is not None and D:
                m.le(K, "heures_chargees[%s] visits <= active days x busiest day" % k[0], n, mx * D)
        if "*" in ry:  # an hour with visits has a row
            for kk in ry["*"]:
                if (kk[2],) not in m.pub["heures_chargees"].rows:
                    m.eq(K, "rythmes[%s] hour absent from heures_chargees" % "|".join(kk),
                         C("rythmes_semaine_heure", kk, "connexions"), L())

    # ---------------- day maxima ---------------------------------------------------------------------
    K = "max-day"
    vk = m.keys("volumes_par_role")
    vr = lambda k, col: C("volumes_par_role", k, col)
    for k in vk:
        for mcol, col in (("utilisateurs_jour_max", "utilisateurs_actifs"), ("connexions_jour_max", "connexions"),
                          ("requetes_jour_max", "requetes")):
            tot = C(SR, k, col)
            mx = vr(k, mcol)
            m.le(K, "volumes_par_role[%s].%s <= period's" % (k[0], mcol), mx, tot)
            if D and mx is not None and tot is not None:
                m.le(K, "volumes_par_role[%s] period's %s <= active days x %s" % (k[0], col, mcol), tot, mx * D)
            if len(active_days) == 1 and mx is not None and tot is not None:
                m.eq(K, "volumes_par_role[%s].%s (one active day) = period's" % (k[0], mcol), mx, tot)
    if ("*",) in vk:
        parts = [k for k in vk if k != ("*",)]
        for mcol in ("utilisateurs_jour_max", "connexions_jour_max", "requetes_jour_max"):
            total_vs_parts(m, K, "volumes_par_role[*].%s vs roles" % mcol, vr(("*",), mcol),
                           [vr(k, mcol) for k in parts], False)
        for mcol, col in (("utilisateurs_jour_max", "utilisateurs_actifs"), ("connexions_jour_max", "connexions")):
            vals = [C("activite_quotidienne", k, col) for _, _, k in days]
            for (d, _, k), v in zip(days, vals):
                m.le(K, "volumes_par_role[*].%s >= day %s" % (mcol, d), v, vr(("*",), mcol))
            if vals and all(v is not None and not v.t for v in vals):
                m.eq(K, "volumes_par_role[*].%s = max of published days" % mcol, vr(("*",), mcol),
                     L(c=max(v.c for v in vals)))

    # ---------------- published rates ---------------------------------------------------------------
    K = "rate"
    if m.rates:
        for tab in ("synthese_roles", SRP, "tendance_mensuelle", "adoption_role_niveau", "parents_niveau_mensuel",
                    "ecoles", "communes", "epci"):
            for k in m.keys(tab):
                c = lambda col: C(tab, k, col)
                lab = "%s[%s]" % (tab, "|".join(k))
                m.ratio(K, lab + " taux_activation", m.text(tab, k, "taux_activation"), c("comptes_actives"), c("comptes"))
                m.ratio(K, lab + " taux_actifs", m.text(tab, k, "taux_actifs"), c("utilisateurs_actifs_inscrits"),
                        c("comptes"))
                if tab in ("communes", "epci"):
                    m.ratio(K, lab + " taux_parents_actifs", m.text(tab, k, "taux_parents_actifs"),
                            c("parents_actifs_inscrits"), c("comptes_parents"))
        for k in m.keys("communes_parents_services"):
            c = lambda col: C("communes_parents_services", k, col)
            m.ratio(K, "communes_parents_services[%s] taux" % k[0],
                    m.text("communes_parents_services", k, "taux_parents_services_commune"),
                    c("parents_services_commune"), c("parents_actifs"))
        for k in m.keys(MB):
            m.ratio(K, "migration_bilan[%s] part" % k[0], m.text(MB, k, "part_retrouves"),
                    C(MB, k, "utilisateurs_retrouves"), C(MB, k, "utilisateurs_ancien_ent"))
        for k in mh:
            m.ratio(K, "migration_hebdo[%s] part" % k[0], m.text("migration_hebdo", k, "part_ancien_aussi_nouvel"),
                    C("migration_hebdo", k, "utilisateurs_les_deux"), C("migration_hebdo", k, "utilisateurs_ancien_ent"))
        for k in m.keys("services_par_role"):
            m.ratio(K, "services_par_role[%s] penetration" % "|".join(k), m.text("services_par_role", k, "taux_penetration"),
                    C("services_par_role", k, "utilisateurs"), C("services_par_role", k, "utilisateurs_actifs_role"))
        if D:
            for k in vk:
                m.ratio(K, "volumes_par_role[%s] visits per active day" % k[0],
                        m.text("volumes_par_role", k, "connexions_par_jour_actif"), vr(k, "connexions"), L(c=D), 2)
                m.ratio(K, "volumes_par_role[%s] requests per active day" % k[0],
                        m.text("volumes_par_role", k, "requetes_par_jour_actif"), vr(k, "requetes"), L(c=D), 2)
            for k in hk:
                m.ratio(K, "heures_chargees[%s] visits per active day" % k[0],
                        m.text("heures_chargees", k, "connexions_par_jour_actif"), C("heures_chargees", k, "connexions"),
                        L(c=D), 2)
        tot_h = SL(C("heures_chargees", k, "connexions") for k in hk) if hk else None
        for k in hk:
            m.ratio(K, "heures_chargees[%s] share" % k[0], m.text("heures_chargees", k, "part_connexions"),
                    C("heures_chargees", k, "connexions"), tot_h)


# ----------------------------------------------------------------------------------------------
# Solving


# The random points `main` finds before the cells' own LPs (see `settled_by_points`).
RANDOM_POINTS = int(os.environ.get("CHECK_SECRECY_RANDOM_POINTS", "16"))
# The aimed points' rounds (see `main`): at most this many, and each must settle this many
# cells for the next to be tried (a round costs about as much as ten cells' own LPs, hot).
AIMED_ROUNDS = int(os.environ.get("CHECK_SECRECY_AIMED_ROUNDS", "200"))
AIMED_ROUND_WORTH = 10
# Groups of tied cells are solved apart, the small ones packed into LPs of up to BIN_CELLS
# cells; a group of LOCAL_FROM cells or more is first settled by neighbourhoods
# (local_lp.py): (cells, cells taken from each relation) in turn, LOCAL_TIERS.
BIN_CELLS = int(os.environ.get("CHECK_SECRECY_BIN_CELLS", "4000"))
LOCAL_FROM = int(os.environ.get("CHECK_SECRECY_LOCAL_FROM", "4000"))
def tiers(text):
    return tuple(tuple(int(x) for x in t.split(":")) for t in text.split())
LOCAL_TIERS = tiers(os.environ.get("CHECK_SECRECY_LOCAL_TIERS", "32:2 256:3"))
# A group of HUGE_FROM cells or more (a national territory's) is too large for its cells'
# own LPs: after a further neighbourhood, a cell its points show unpinned (two integers in
# its range) is left there, its range not solved.
HUGE_FROM = int(os.environ.get("CHECK_SECRECY_HUGE_FROM", "100000"))
HUGE_TIERS = tiers(os.environ.get("CHECK_SECRECY_HUGE_TIERS", "4096:2"))


class LP:
    """The model's constraints `cons` (indices into m.cons; by default every one with a
    variable) over the variables `cols` (by default all of them, in order): a column each."""

    def __init__(self, m, cons=None, cols=None):
        self.m = m
        ids = [i for i, c in enumerate(m.cons) if c[2].t] if cons is None else cons
        self.rows = [(i, m.cons[i]) for i in ids]
        self.cols = np.arange(len(m.vars)) if cols is None else np.asarray(cols, dtype=np.int64)
        n = len(self.cols)
        column = {int(v): j for j, v in enumerate(self.cols)}
        ub, eq = [], []
        for i, (kind, desc, e, sense) in self.rows:
            (eq if sense == "==" else ub).append((i, e))
        self.ub_ids = [i for i, _ in ub]
        self.eq_ids = [i for i, _ in eq]

        def mat(lst):
            data, ri, ci, rhs = [], [], [], []
            for r, (_, e) in enumerate(lst):
                for v, a in e.t.items():
                    data.append(a)
                    ri.append(r)
                    ci.append(column[v])
                rhs.append(-e.c)
            return (csr_matrix((data, (ri, ci)), shape=(len(lst), n)) if lst else None,
                    np.array(rhs) if lst else None)

        self.A_ub, self.b_ub = mat(ub)
        self.A_eq, self.b_eq = mat(eq)
        self.bounds = [(v.lo if v.lo > -INF else None, v.hi if v.hi < INF else None)
                       for v in (m.vars[j] for j in self.cols)]

    def solve(self, cvec, bounds=None):
        return linprog(cvec, A_ub=self.A_ub, b_ub=self.b_ub, A_eq=self.A_eq, b_eq=self.b_eq,
                       bounds=bounds or self.bounds, method="highs")

    def point_at_truth(self):
        """A point with every hidden cell at its true value (auxiliaries as the LP finds
        them), or None when there is none."""
        b = []
        for v in (self.m.vars[j] for j in self.cols):
            b.append((v.true, v.true) if not v.aux and v.true is not None else
                     (v.lo if v.lo > -INF else None, v.hi if v.hi < INF else None))
        r = self.solve(np.zeros(len(self.cols)), b)
        return r.x if r.status == 0 else None

    def feasible_at_truth(self):
        """All hidden cells fixed to their true values (auxiliaries free): feasible?"""
        return self.point_at_truth() is not None

    def ties(self, res):
        """Constraints with a non-zero dual at an optimum."""
        out = []
        if res.ineqlin is not None and len(self.ub_ids):
            for j, mu in enumerate(res.ineqlin.marginals):
                if abs(mu) > 1e-9:
                    out.append(self.ub_ids[j])
        if res.eqlin is not None and len(self.eq_ids):
            for j, mu in enumerate(res.eqlin.marginals):
                if abs(mu) > 1e-9:
                    out.append(self.eq_ids[j])
        return out


class UnionFind:
    """Sets of the integers 0..n-1, merged two at a time."""

    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, i):
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i, j):
        self.parent[self.find(i)] = self.find(j)


def packed_groups(m, lp, limit):
    """The model's variables split into groups tied by lp's relations (connected
    components), as [(columns, constraint ids)], packed into lists of groups of up to
    `limit` variables in all (a group larger than that alone), in the order of their first
    variable."""
    tied = UnionFind(len(m.vars))
    for _, (_, _, e, _) in lp.rows:
        vs = iter(e.t)
        first = next(vs)
        for v in vs:
            tied.union(v, first)
    groups = OrderedDict()
    for v in range(len(m.vars)):
        groups.setdefault(tied.find(v), ([], []))[0].append(v)
    for i, (_, _, e, _) in lp.rows:
        groups[tied.find(next(iter(e.t)))][1].append(i)
    bins, current, size = [], [], 0
    for cols, cons in groups.values():
        if current and size + len(cols) > limit:
            bins.append(current)
            current, size = [], 0
        current.append((cols, cons))
        size += len(cols)
    if current:
        bins.append(current)
    return bins


def evaluate(e, values):
    return e.c + sum(a * values[v] for v, a in e.t.items())


def holds(e, sense, values, tol=1e-6):
    x = evaluate(e, values)
    return abs(x) <= tol if sense == "==" else x <= tol


# ----------------------------------------------------------------------------------------------


def page_numbers_not_published(path, pub):
    """Check (c): the numbers of 54 and more that the report's page (PATH/rapport.html, its
    text outside charts) writes and that none of its CSV files publishes: a figure the page
    states in a sentence or a tile that its tables hide. Explained and left out: years, the
    period's length and the count of activity days (one row each in peak_concurrent_users),
    school codes (UAI), times of day, ordinals, the fixed text (HTTP statuses, the 95th
    percentile's definition). Smaller numbers are days, hours and
    weeks as often as figures: not checked. Returns [(number, context)], or None when the
    folder holds no page."""
    page_path = os.path.join(path, "rapport.html")
    if not os.path.exists(page_path):
        return None
    with open(page_path, encoding="utf-8") as fh:
        page = fh.read()
    page = re.sub(r"<(svg|style|script)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " | ", page)
    text = html.unescape(text).replace("\u202f", "").replace("\u00a0", " ")
    text = re.sub(r"\b\d{7}[A-Z]\b", " ", text)  # UAI
    text = text.replace("statut 200 à 399", " ")
    text = re.sub(r"\b\d{1,2}(:\d{2}(:\d{2})?| h \d{2})\b", " ", text)  # times of day (the footer's « 8 h 54 »)
    text = re.sub(r"\b\d+(ᵉ|e|er)\b", " ", text)  # ordinals (the 95th percentile)
    text = re.sub(r"95 ?% des jours|ne dépasse pas 100 ?%", " ", text)  # the methodology's definitions
    published = set()
    for t in pub.values():
        for row in t.rows.values():
            for x in row.values():
                x = x.strip()
                if re.fullmatch(r"-?\d+", x):
                    published.add(abs(int(x)))  # (a change: the page writes its sign apart, −489)
                elif re.fullmatch(r"-?\d+,\d+", x):
                    # a rate in points, as the page writes it (one decimal), and its whole part
                    points = float(x.replace(",", ".")) * 100
                    published.add(round(points, 1))
                    published.add(int(round(points)))
    if "peak_concurrent_users" in pub:
        published.add(len(pub["peak_concurrent_users"].rows))
    for m in re.finditer(r"\((\d+) jours?\)", text):
        published.add(int(m.group(1)))
    found = []
    for m in re.finditer(r"(?<![\d,.])(\d+)(?![\d,])", text):
        n = int(m.group(1))
        if n < 54 or 1900 <= n <= 2100 or n in published:
            continue
        found.append((n, " ".join(text[max(0, m.start() - 80):m.end() + 30].split())))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir5")
    ap.add_argument("dir0")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--min-cell", type=int, default=5)
    ap.add_argument("--no-rates", action="store_true", help="do not use published rates")
    ap.add_argument("--roles-overlap", action="store_true",
                    help="do not assume one role per person (role totals become inequalities)")
    ap.add_argument("--summary", action="store_true", help="print one line: hidden= constraints= pinned=")
    ap.add_argument("--exhaustive", action="store_true",
                    help="solve the range of every hidden cell, even those the points already found settle")
    ap.add_argument("--cold", action="store_true",
                    help="solve every LP with linprog afresh, as before hot_lp.py (slower; the same output)")
    ap.add_argument("--progress", action="store_true", help="say on standard error how far the LPs are")
    a = ap.parse_args()

    pub, truth = read_dir(a.dir5), read_dir(a.dir0)
    out = [] if a.summary else None
    say = (lambda *x: None) if a.summary else print

    # pairing: same tables, rows, columns; published cells equal to the true ones
    pair_problems = []
    for name in sorted(set(pub) | set(truth)):
        if name not in pub or name not in truth:
            pair_problems.append("table %s missing on one side" % name)
            continue
        t5, t0 = pub[name], truth[name]
        # The tables sorted by a count put their hidden rows last: the same rows, in another order.
        same_rows = (set(t5.rows) == set(t0.rows) if name in {t for t, _, _ in SORTED_BY_COUNT}
                     else list(t5.rows) == list(t0.rows))
        if t5.header != t0.header or not same_rows:
            pair_problems.append("table %s: rows or columns differ" % name)
            continue
        if name in IGNORED:
            continue
        for k, row in t5.rows.items():
            for col in t5.header:
                x5, x0 = row.get(col, ""), t0.rows[k].get(col, "")
                if x5 == x0 or re.match(r"^(<\s*\d+|s)$", x5.strip()):
                    continue
                pair_problems.append("%s[%s].%s published %r but true %r" % (name, "|".join(k), col, x5, x0))

    N = a.min_cell
    for t in pub.values():
        for row in t.rows.values():
            for x in row.values():
                mm = re.match(r"^<\s*(\d+)$", x.strip())
                if mm:
                    N = int(mm.group(1))

    m = Model(pub, truth, N, rates=not a.no_rates, roles_overlap=a.roles_overlap)
    build(m)
    hidden = [v for v in m.vars if not v.aux]
    auxn = len(m.vars) - len(hidden)

    # bounds of the hidden cells against their true values
    for v in hidden:
        if v.true is not None and not (v.lo - 1e-9 <= v.true <= v.hi + 1e-9):
            pair_problems.append("%s shown %r but true %g (outside its bounds)" % (v.label(), v.text, v.true))

    # check (a): every relation on DIR0, every cell published
    m0 = Model(truth, truth, N, rates=not a.no_rates, roles_overlap=a.roles_overlap)
    build(m0)
    kinds = OrderedDict()
    for kind, desc, e, sense in m0.cons:
        kinds.setdefault(kind, [0, 0, 0, 0])
        kinds[kind][0] += 1
    viol0 = []
    for kind, desc, e, sense in m0.cons:
        if not e.t:
            if holds(e, sense, {}):
                kinds[kind][1] += 1
            else:
                viol0.append("%s: %s (%s %g)" % (kind, desc, sense, e.c))
    lp0 = LP(m0)
    aux_ok0 = lp0.feasible_at_truth() if lp0.rows else True
    for kind, desc, e, sense in m0.cons:
        if e.t and aux_ok0:
            kinds[kind][1] += 1

    # the same relations with the published report; truth evaluation
    truthvals = {v.idx: v.true for v in hidden}
    for kind, desc, e, sense in m.cons:
        kinds.setdefault(kind, [0, 0, 0, 0])
        if any(not m.vars[i].aux for i in e.t):
            kinds[kind][2] += 1
        elif e.t:
            kinds[kind][3] += 1
    viol5 = []
    for kind, desc, e, sense in m.cons:
        if all(i in truthvals for i in e.t) and not holds(e, sense, truthvals):
            viol5.append("%s: %s" % (kind, desc))
    lp = LP(m)
    feas = lp.feasible_at_truth()

    say("report %s (true values %s), min-cell %d" % (a.dir5, a.dir0, N))
    for p in pair_problems + m.problems:
        say("  PROBLEM: " + p)
    say("hidden count cells: %d (variables)   hidden rates/shares/per-day figures skipped: %d   auxiliaries: %d"
        % (len(hidden), m.ratio_hidden, auxn))
    say("relations stated, by kind (on DIR0 with every cell published: stated / holding;"
        " on this report: constraints with a hidden cell / with auxiliaries only):")
    for kind, (n0, ok0, nv, na) in kinds.items():
        say("  %-14s %5d / %5d   LP: %4d + %d" % (kind, n0, ok0, nv, na))
    say("check (a): all relations hold on DIR0: %s%s" % (
        "yes" if not viol0 and aux_ok0 else "NO",
        "" if not viol0 else " (%d violated, first: %s)" % (len(viol0), viol0[0])))
    for x in viol0[:20]:
        say("    violated on DIR0: " + x)
    say("           the report's constraints at the true values: %s" % (
        "all hold" if not viol5 and feas else "VIOLATED (%d; feasible with auxiliaries: %s)" % (len(viol5), feas)))
    for x in viol5[:20]:
        say("    violated at truth: " + x)
    ncons = len(lp.rows)
    say("constraints in the LP: %d (%d equalities, %d inequalities)" % (ncons, len(lp.eq_ids), len(lp.ub_ids)))

    # ranges
    nv = len(m.vars)
    pinned, narrowed, outside, failed = [], [], [], []
    # A change (synthese.evolution: this period's figure - the previous period's) is no count:
    # one pinned says how two figures compare, and what that tells of either is in the two
    # terms' own ranges (pinned or narrowed above, when it tells anything). Such pins are
    # listed apart: two hidden figures known equal (a change of 0) recover neither.
    changes = []
    # Every optimum found is a point the reader cannot rule out: each hidden cell takes, over
    # the points found so far, values from seen_lo to seen_hi, and its range holds them. A cell
    # whose seen values already span two integers cannot be pinned, a `< N` whose seen values
    # reach both its bounds keeps its whole range, and a true value among them lies in its
    # range: such a cell needs no LP of its own (the verdicts, ranges and lines printed are
    # those of solving every cell; --exhaustive solves every cell all the same).
    seen_lo, seen_hi = np.full(nv, INF), np.full(nv, -INF)

    def saw(res, on):
        """Note the point of a solved LP `on` (its values over that LP's columns)."""
        if res.status == 0 and res.x is not None:
            see(on.cols, res.x)

    def see(cols, x):
        seen_lo[cols] = np.minimum(seen_lo[cols], x)
        seen_hi[cols] = np.maximum(seen_hi[cols], x)

    def needs(v):
        """Which way the points have yet to reach for the cell to be settled: (lower, higher)."""
        if not (seen_lo[v.idx] < INF and seen_hi[v.idx] > -INF):
            return True, True
        # (1e-7: HiGHS' feasibility tolerance; a point may overstep a relation by that.)
        lo_at_most, hi_at_least = math.ceil(seen_lo[v.idx] - 1e-7), math.floor(seen_hi[v.idx] + 1e-7)
        lower = (v.hi < INF and lo_at_most > v.lo) or (v.true is not None and seen_lo[v.idx] > v.true)
        higher = (v.hi < INF and hi_at_least < v.hi) or (v.true is not None and seen_hi[v.idx] < v.true)
        if not lo_at_most < hi_at_least and not (lower or higher):
            return True, True  # seen at one integer only: either way will do
        return lower, higher

    def settled_by_points(v):
        return needs(v) == (False, False)

    def unpinned_by_points(v):
        """Two integers at least between the cell's least and greatest values seen, its true
        value among them: the cell is not pinned, whatever its whole range."""
        lo, hi = seen_lo[v.idx], seen_hi[v.idx]
        return (lo < INF and math.floor(hi + 1e-7) - math.ceil(lo - 1e-7) >= 1
                and (v.true is None or lo - 1e-7 <= v.true <= hi + 1e-7))

    def progress(text):
        if a.progress:
            print("%s %s" % (datetime.datetime.now().strftime("%H:%M:%S"), text), file=sys.stderr, flush=True)

    def verdict(v, r1, r2):
        """What the two optima (min, max) say of v: (kind, lo, hi), kind one of failed,
        outside, change, pinned, narrowed, whole."""
        # Status 3 is "unbounded": an auxiliary cell (the difference of two hidden
        # figures, such as an evolution) may have no lower bound, and a `s` cell none above.
        if r1.status not in (0, 3) or r2.status not in (0, 3):
            return "failed", None, None
        lo = r1.fun if r1.status == 0 else -INF
        hi = -r2.fun if r2.status == 0 else INF
        if v.true is not None and not (lo - 1e-6 <= v.true <= hi + 1e-6):
            return "outside", lo, hi
        ilo = math.ceil(lo - 1e-6) if lo > -INF else -INF
        ihi = math.floor(hi + 1e-6) if hi < INF else INF
        if ilo == ihi and v.file == "synthese" and v.col == "evolution":
            return "change", lo, hi
        if ilo == ihi:
            return "pinned", lo, hi
        if v.hi < INF and (ilo > v.lo or ihi < v.hi):
            return "narrowed", lo, hi
        return "whole", lo, hi

    # The LP splits into groups of cells tied by relations (connected components): a cell's
    # range over the whole LP is its range over its group's relations alone, the true values
    # meeting every relation. Groups are solved apart, the small ones packed together into
    # LPs of up to BIN_CELLS cells (one LP holds every cell of a small report, as before).
    bins = packed_groups(m, lp, BIN_CELLS)
    progress("%d hidden cells, %d constraints, %d groups in %d LPs, the largest %d cells" % (
        len(hidden), ncons, sum(len(g) for g in bins), len(bins),
        max((len(cols) for g in bins for cols, _ in g), default=0)))
    rng, aim = np.random.default_rng(5), np.random.default_rng(7)
    wide = 4.0 * max([abs(v.true) for v in hidden if v.true is not None] + [1.0]) + 100.0
    local_settled, local_groups = 0, 0
    unsolved = []  # (cell, least, greatest value seen): shown unpinned, range not solved
    for number, groups in enumerate(bins):
        blp = LP(m, sorted(i for _, cons in groups for i in cons),
                 sorted(j for cols, _ in groups for j in cols))
        cells = [m.vars[j] for j in blp.cols if not m.vars[j].aux]
        if not cells:
            continue
        where = "LP %d of %d (%d cells)" % (number + 1, len(bins), len(blp.cols))
        column = {int(j): k for k, j in enumerate(blp.cols)}
        large = len(groups) == 1 and len(blp.cols) >= LOCAL_FROM and not a.exhaustive
        huge = large and len(cells) >= HUGE_FROM
        if large:
            # A large group: its cells are first moved a few at a time (local_lp.py), every
            # other cell held at a point of the true values; each point found is one of the
            # report's. Random points over such a group would each be a long solve.
            x0 = blp.point_at_truth()
            local = local_lp.LocalPoints(blp.A_ub, blp.b_ub, blp.A_eq, blp.b_eq, blp.bounds, x0) if x0 is not None else None
            if local is not None and local.meets_everything():
                see(blp.cols, local.x0)

                def done(v):
                    return settled_by_points(v) or (huge and unpinned_by_points(v))
                for size, per_row in LOCAL_TIERS + (HUGE_TIERS if huge else ()):
                    left = [v for v in cells if not done(v)]
                    for n, v in enumerate(left):
                        if n % 1000 == 0:
                            progress("%s: %d-cell neighbourhoods, cell %d of %d" % (where, size, n, len(left)))
                        if done(v):
                            continue
                        near = local.near(column[v.idx], size, per_row)
                        for sign in (1.0, -1.0):
                            lower, higher = needs(v)
                            if done(v) or not (lower if sign > 0 else higher):
                                continue
                            found = local.solve(near, {column[v.idx]: sign})
                            if found is not None:
                                see(blp.cols[found[0]], found[1])
                settled = sum(1 for v in cells if settled_by_points(v))
                local_groups += 1
                local_settled += settled
                progress("%s: %d of %d cells settled by neighbourhoods, %d more shown unpinned (%d LPs, %d points refused)" % (
                    where, settled, len(cells),
                    sum(1 for v in cells if not settled_by_points(v) and unpinned_by_points(v)),
                    local.solved, local.rejected))
                if huge:
                    for v in cells:
                        if not settled_by_points(v) and unpinned_by_points(v):
                            unsolved.append((v, seen_lo[v.idx], seen_hi[v.idx]))
                    cells = [v for v in cells if not done(v)]
            else:
                progress("%s: no point at the true values meets every relation; no neighbourhoods" % where)
        elif not a.exhaustive:
            # Points in random directions first (a fixed seed: the same LPs each run), found with
            # every cell boxed (a point of the boxed system is one of the report's; the box is wide
            # enough to hold the true values, so it is never empty).
            boxed = [(lo if lo is not None else -wide, hi if hi is not None else max(wide, lo if lo is not None else -wide))
                     for lo, hi in blp.bounds]
            for k in range(RANDOM_POINTS):
                progress("%s: random point %d of %d" % (where, k + 1, RANDOM_POINTS))
                saw(blp.solve(rng.uniform(-1.0, 1.0, len(blp.cols)), boxed), blp)
        # Aimed points: each minimises a random positive sum of the cells still unsettled,
        # each cell counted up or down as its points have yet to reach (one LP settling
        # hundreds of cells on a region's report, where a cell's own two LPs settle one).
        # Rounds go on while they settle cells faster than the cells' own LPs would.
        # The same LPs hot: one HiGHS model whose costs change (hot_lp.py). It finds the aimed
        # points below and clears the cells it finds unpinned, each with its range and true
        # value inside it; every other verdict is linprog's, as without it.
        hot = (hot_lp.HotLP(len(blp.cols), blp.A_ub, blp.b_ub, blp.A_eq, blp.b_eq, blp.bounds)
               if not a.cold and hot_lp.available() and any(not settled_by_points(v) for v in cells) else None)
        if hot and not a.exhaustive:
            unsettled = [v for v in cells if not settled_by_points(v)]
            for k in range(AIMED_ROUNDS if unsettled else 0):
                cost = {}
                for v in unsettled:
                    lower, higher = needs(v)
                    sign = aim.choice((-1.0, 1.0)) if lower and higher else 1.0 if lower else -1.0
                    cost[column[v.idx]] = sign * aim.uniform(0.5, 1.0)
                saw(hot.solve(cost, warm=False), blp)
                before, unsettled = len(unsettled), [v for v in unsettled if not settled_by_points(v)]
                progress("%s: aimed point %d: %d cells unsettled" % (where, k + 1, len(unsettled)))
                if before - len(unsettled) < AIMED_ROUND_WORTH:
                    break
        todo = [v for v in cells if a.exhaustive or not settled_by_points(v)]
        progress("%s: %d cells left to their own LPs" % (where, len(todo)))
        for n, v in enumerate(todo):
            if n % 200 == 0 and n:
                progress("%s: cell %d of %d" % (where, n, len(todo)))
            if not a.exhaustive and settled_by_points(v):
                continue
            if os.environ.get("CHECK_SECRECY_SHOW_UNSETTLED"):
                print("unsettled", v.label(), v.text, v.true, seen_lo[v.idx], seen_hi[v.idx], file=sys.stderr)
            j = column[v.idx]
            if hot:
                r1 = hot.solve({j: 1.0}, warm=True)
                saw(r1, blp)
                r2 = hot.solve({j: -1.0}, warm=True)
                saw(r2, blp)
                kind, lo, hi = verdict(v, r1, r2)
                if kind in ("whole", "narrowed"):
                    if kind == "narrowed":
                        narrowed.append((v, lo, hi))
                    continue
            cvec = np.zeros(len(blp.cols))
            cvec[j] = 1.0
            r1 = blp.solve(cvec)
            cvec[j] = -1.0
            r2 = blp.solve(cvec)
            saw(r1, blp)
            saw(r2, blp)
            kind, lo, hi = verdict(v, r1, r2)
            if kind == "failed":
                failed.append((v, r1.status, r2.status))
                continue
            if kind == "outside":
                outside.append((v, lo, hi))
            elif kind == "change":
                changes.append((v, lo, hi))
            elif kind == "pinned":
                pinned.append((v, lo, hi, r1, r2, blp))
            elif kind == "narrowed":
                narrowed.append((v, lo, hi))
    # (in the order of the cells, whatever the order of the groups solved)
    for found in (outside, failed, pinned, changes, narrowed, unsolved):
        found.sort(key=lambda f: f[0].idx)
    if local_groups:
        say("groups of %d cells or more: %d; their cells settled by neighbourhoods: %d" % (
            LOCAL_FROM, local_groups, local_settled))
    if unsolved:
        say("UNPINNED, RANGE NOT SOLVED (cells of groups of %d cells or more that points show"
            " unpinned, without their own LPs: narrowed or not is not known): %d" % (HUGE_FROM, len(unsolved)))
        if a.verbose:
            for v, lo, hi in unsolved:
                say("  %s true %g seen [%.4g, %.4g]" % (v.label(), v.true, lo, hi))
    say("check (b): true values inside every LP range: %s%s" % (
        "yes" if not outside and not failed else "NO",
        "" if not failed else " (%d LPs failed)" % len(failed)))
    for v, lo, hi in outside:
        say("    OUTSIDE: %s true %g range [%g, %g]" % (v.label(), v.true, lo, hi))
    for v, s1, s2 in failed[:10]:
        say("    LP failed for %s (status %s/%s)" % (v.label(), s1, s2))
    page_numbers = page_numbers_not_published(a.dir5, pub)
    say("check (c): every number of 54 or more of the page published in a CSV: %s" % (
        "no page" if page_numbers is None else "yes" if not page_numbers else "NO (%d)" % len(page_numbers)))
    for n, context in (page_numbers or [])[:20]:
        say("    NOT PUBLISHED: %d in « %s »" % (n, context))
    say("PINNED: %d of %d hidden cells" % (len(pinned), len(hidden)))
    for v, lo, hi, r1, r2, blp in pinned:
        say("  %-42s %-28s %-34s true %-6g shown %-4s range [%.4g, %.4g]" % (
            v.file, "|".join(v.key), v.col, v.true if v.true is not None else float("nan"), v.text, lo, hi))
        if a.verbose:
            ids = []
            for i in blp.ties(r1) + blp.ties(r2):
                if i not in ids:
                    ids.append(i)
            for i in ids:
                kind, desc, e, sense = m.cons[i]
                say("      [%s] %s" % (kind, desc))
    say("PINNED CHANGES (a change between two periods known, each figure's range above): %d" % len(changes))
    for v, lo, hi in changes:
        say("  %s true %g range [%.4g, %.4g]" % (v.label(), v.true, lo, hi))
    # the same figure shown in several places is pinned in each: count distinct figures too, merging
    # cells tied by an equality x = y (same-figure, one-period, role-total of one part ...)
    same = UnionFind(len(m.vars))
    for kind, desc, e, sense in m.cons:
        if sense == "==" and len(e.t) == 2 and abs(e.c) < 1e-9:
            (i, x), (j, y) = e.t.items()
            if abs(x + y) < 1e-12 and not m.vars[i].aux and not m.vars[j].aux:
                same.union(i, j)
    distinct = len({same.find(v.idx) for v, *_ in pinned})
    say("PINNED distinct figures (cells equal by an x = y relation merged): %d" % distinct)
    say("NARROWED (< %d cells whose range is narrower than 1..%d, information): %d" % (N, N - 1, len(narrowed)))
    if a.verbose:
        for v, lo, hi in narrowed:
            say("  %s true %g range [%.4g, %.4g]" % (v.label(), v.true, lo, hi))
    if True:
        print("%shidden=%d constraints=%d pinned=%d%s%s" % ("" if a.summary else "SUMMARY ",
            len(hidden), ncons, len(pinned), (" changes=%d" % len(changes) if changes else "")
            + (" ranges-unsolved=%d" % len(unsolved) if unsolved else ""),
            "" if not (pair_problems or viol0 or viol5 or outside or failed or not feas or not aux_ok0 or page_numbers)
            else " CHECKS-FAILED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
