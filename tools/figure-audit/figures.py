#!/usr/bin/env python3
"""Independent reference implementation of `entstat export` (SPEC §1-§3).

Written from SPEC.md (../shared/spec/ beside the repository) and the documented choices (README's, now
docs/choices.md), not from
the Swift sources. Standard library only.

Usage (one export):
    figures.py --schools S --accounts A [--epci E] --period P [--by D,..]
               [--from D] [--to D] LOG...
Usage (many exports from one parse, the way `run` uses it):
    figures.py --schools S --accounts A --batch SPECFILE --outdir DIR LOG...
  where SPECFILE holds one export per line: `NAME<TAB>--period P [--by ..] [--from ..] [--to ..]`
  and DIR/NAME.csv is written for each.
"""
import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import math
import os
import re
import shlex
import sys
import time
import unicodedata
import zlib
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.timezone.utc

# ---------------------------------------------------------------- roles (SPEC §2.1)
ROLE_SYNONYMS = {
    "relative": "parent", "parent": "parent",
    "teacher": "teacher", "enseignant": "teacher",
    "student": "student", "eleve": "student", "élève": "student",
    "personnel": "staff", "pers_etab": "staff", "staff": "staff",
    "collectivite": "commune", "collectivité": "commune", "pers_coll": "commune",
    "commune": "commune",
}


def norm_role(s):
    """SPEC §2.1 synonyms, case-insensitive. None when not a known role word."""
    if s is None:
        return None
    k = unicodedata.normalize("NFC", s.strip()).lower()
    return ROLE_SYNONYMS.get(k)


def fold(s):
    """lowercase, accents removed (niveau is 'case and accents free', SPEC §1.1)."""
    s = unicodedata.normalize("NFD", s.strip().lower())
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def norm_level(s):
    f = fold(s)
    if f in ("maternelle", "elementaire", "primaire"):
        return f
    return ""


# ---------------------------------------------------------------- reference files
SPACES = " \t\r\n"  # what the tool trims from a reference file's fields (not a no-break space)


def read_semicolon(path):
    with open(path, "r", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    rows = [r for r in rows if any(c.strip(SPACES) for c in r)]
    header = [h.strip(SPACES) for h in rows[0]]
    out = []
    for r in rows[1:]:
        if len(r) < len(header):
            continue  # docs/choices.md: a row with too few fields is skipped with a warning
        out.append({h: r[i].strip(SPACES) for i, h in enumerate(header)})
    return header, out


def load_epci(path):
    m = {}
    if path:
        _, rows = read_semicolon(path)
        for r in rows:
            m[r.get("code_commune", "")] = r.get("epci", "")
    return m


def school_rows(path):
    """Each school of a schools file, in either format (SPEC §1.1): (uai, name, level,
    code_commune, commune name, epci or "": the ministry's annuaire has none)."""
    header, rows = read_semicolon(path)
    if "uai" in header:  # SPEC §1.1 a)
        for r in rows:
            yield (r["uai"], r.get("nom", ""), norm_level(r["niveau"]), r["code_commune"],
                   r.get("commune", ""), r.get("epci", ""))
    else:  # SPEC §1.1 b) ministry annuaire: only rows of Type_etablissement Ecole
        for r in rows:
            if r.get("Type_etablissement", "").strip() != "Ecole":
                continue
            mat = r.get("Ecole_maternelle", "").strip() == "1"
            ele = r.get("Ecole_elementaire", "").strip() == "1"
            level = "primaire" if (mat and ele) else "maternelle" if mat else "elementaire" if ele else ""
            yield (r["Identifiant_de_l_etablissement"], r.get("Nom_etablissement", ""), level,
                   r.get("Code_commune", ""), r.get("Nom_commune", ""), "")


def load_schools(path, epci_path=None):
    """uai -> (level, code_commune, epci); commune -> epci."""
    epci_map = load_epci(epci_path)
    schools = {}
    commune_epci = dict(epci_map)
    for uai, _name, level, cc, _commune, epci in school_rows(path):
        epci = epci or epci_map.get(cc, "")
        schools[uai] = (level, cc, epci)
        commune_epci.setdefault(cc, epci)
    return schools, commune_epci


def places_for(role, uais, code_commune, schools, commune_epci):
    """Set of (school, level, commune, epci) a user belongs to (SPEC §2.1).
    A commune agent takes its place from code_commune; others from their schools;
    no value -> empty strings."""
    if role == "commune":
        cc = code_commune or ""
        return frozenset([("", "", cc, commune_epci.get(cc, "") if cc else "")])
    out = set()
    for u in uais:
        if u in schools:
            lv, cc, ep = schools[u]
            out.add((u, lv, cc, ep))
        else:  # a school absent from schools.csv: its UAI, nothing else known
            out.add((u, "", "", ""))
    if not out:
        out.add(("", "", "", ""))
    return frozenset(out)


class Person:
    __slots__ = ("listed", "role", "places", "activated_on")

    def __init__(self, listed, role, places, activated_on=""):
        self.listed = listed
        self.role = role
        self.places = places
        self.activated_on = activated_on


def activation_day(text):
    """`activated_on` when it is a date YYYY-MM-DD, else "" (never activated): the tool warns
    « n'est pas une date AAAA-MM-JJ ; compte compté comme non activé » (its choice)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return ""
    y, m, d = int(text[:4]), int(text[5:7]), int(text[8:])
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return text if 1 <= m <= 12 and 1 <= d <= days[m - 1] else ""


def load_accounts(path, schools, commune_epci):
    _, rows = read_semicolon(path)
    accounts = []
    by_uid, by_legacy = {}, {}
    for r in rows:
        raw_role = r.get("role", "")
        # a role word outside SPEC §2.1's list: the tool warns « rôle inconnu ; compté comme
        # « unknown » » and so does the oracle
        role = norm_role(raw_role) or "unknown"
        uais = [u.strip(SPACES) for u in r.get("schools", "").split("|") if u.strip(SPACES)]
        p = Person(True, role, places_for(role, uais, r.get("code_commune", ""), schools, commune_epci),
                   activation_day(r.get("activated_on", "")))
        # docs/design.md ("Threads", accounts load): "the first row keeps the id" a later row repeats;
        # the tool then skips the later row whole (warning « user_id déjà présent plus haut ;
        # ligne ignorée »), so it is not an account either.
        uid, leg = r.get("user_id", ""), r.get("legacy_id", "")
        if uid in by_uid or not uid:  # an empty user_id: the tool skips the row (« user_id vide »)
            continue
        accounts.append(p)
        if uid:
            by_uid[uid] = p
        if leg and leg not in by_legacy:
            by_legacy[leg] = p
    return accounts, by_uid, by_legacy


# ---------------------------------------------------------------- feature rules (SPEC §1.5)
DEFAULT_RULES = [
    ("portail", ["/accueil"], ["Timeline", "Portal"]),
    ("messagerie", ["/messagerie"], ["Conversation"]),
    ("actualites", ["/actualites"], ["Actualites"]),
    ("blog", ["/blog"], ["Blog"]),
    ("cahier_liaison", ["/cahier-liaison"], ["SchoolBook"]),
    ("documents", ["/documents"], ["Workspace"]),
    ("agenda", ["/agenda"], ["Calendar"]),
    ("mur_collaboratif", ["/mur"], ["CollaborativeWall"]),
    ("exercices", ["/exercices"], ["Exercizer"]),
    ("cantine", ["/cantine"], ["Cantine"]),
    ("transport", ["/transport"], ["Transport"]),
    ("periscolaire", ["/periscolaire"], ["Periscolaire"]),
    ("annuaire", ["/annuaire"], ["Directory"]),
    ("connexion", ["/login", "/logout"], ["Auth"]),
]
PREFIXES = sorted(((p, f) for f, ps, _ in DEFAULT_RULES for p in ps), key=lambda x: -len(x[0]))
MODULES = {m.lower(): f for f, _, ms in DEFAULT_RULES for m in ms}
_feat_cache = {}


def load_rules(path):
    """A rules file (`entstat rules` prints the format): `<feature> path <prefix>` or
    `<feature> module <Module>` per line, `#` comments; it replaces the default rules. A
    prefix or module given twice goes to the later rule (docs/operations.md, exit statuses: warned
    about, the later rule winning); the longest prefix matching whole segments wins."""
    global PREFIXES, MODULES
    prefixes, modules = {}, {}
    for line in open(path, encoding="utf-8-sig"):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        feature, kind, key = words[0], words[1], " ".join(words[2:])
        if kind == "path":
            prefixes[key] = feature
        elif kind == "module":
            modules[key.lower()] = feature
        else:
            raise SystemExit("%s: cannot read the rule %r" % (path, line))
    PREFIXES = sorted(prefixes.items(), key=lambda x: -len(x[0]))
    MODULES = modules
    _feat_cache.clear()


def path_feature(path):
    f = _feat_cache.get(path)
    if f is None:
        f = "autre"
        for p, feat in PREFIXES:  # whole path segments
            if path == p or path.startswith(p + "/"):
                f = feat
                break
        if len(_feat_cache) < 200000:
            _feat_cache[path] = f
    return f


STATIC = (".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf", ".map")

# ---------------------------------------------------------------- log parsing
# Month names in any case (`oct`, `OCT`): the tool's choice, the spec shows `Oct`.
MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
Q = r'"((?:[^"\\]|\\.)*)"'
ACCESS_RE = re.compile(
    r'^(\S+) (\S+) (\S+) \[(\d{2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\] '
    + Q + r' (\d{3}) (\d+|-) ' + Q + ' ' + Q + r'(?:[ \t].*)?$', re.S | re.ASCII)  # ASCII digits and spaces
MIN_EPOCH = int(dt.datetime(2000, 1, 1, tzinfo=UTC).timestamp())  # docs/choices.md: records outside 2000-2045 rejected
MAX_EPOCH = int(dt.datetime(2046, 1, 1, tzinfo=UTC).timestamp())


def parse_access(line):
    """-> None (reject) or ('F',) filtered or (user, epoch, feature, login)."""
    if "\r" in line:
        return None
    m = ACCESS_RE.match(line)
    if not m:
        return None
    (_ip, _ident, user, d, mon, y, H, M, S, sg, oh, om, req, status, _b, _ref, _ua) = m.groups()
    mon = mon.lower()
    if mon not in MONTHS:
        return None
    # An offset is at most ±14:59 (the tool's choice: no time zone is further from UTC).
    if int(oh) > 14 or int(om) > 59:
        return None
    try:
        sec = int(S)
        if sec == 60:  # docs/choices.md: leap second counted as second 59
            sec = 59
        t = dt.datetime(int(y), MONTHS[mon], int(d), int(H), int(M), sec, tzinfo=UTC)
    except ValueError:
        return None
    off = (int(oh) * 60 + int(om)) * 60
    epoch = int(t.timestamp()) - (off if sg == "+" else -off)
    if not (MIN_EPOCH <= epoch < MAX_EPOCH):
        return None
    # The request target (the tool's choices, the spec silent): none (`"-"`, which Apache
    # writes for a request that timed out) is a filtered record; an absolute target
    # (`http://host/path`) is its path, `/` for a host alone; the path ends at the query
    # (`?`), a fragment (`#`) or path parameters (`;jsessionid=…`).
    parts = req.split(" ")
    target = parts[1] if len(parts) >= 2 else ""
    if not target.startswith("/") and "://" in target:
        after = target[target.index("://") + 3:]
        target = after[after.index("/"):] if "/" in after else "/"
    path = re.split(r"[?#;]", target, maxsplit=1)[0]
    st = int(status)
    if user == "-" or not (200 <= st <= 399) or target == "" or path.lower().endswith(STATIC):
        return ("F",)
    # SPEC §2.4 says "access-log path /login"; the oracle takes it as whole path segments, as
    # the feature rules match (`/login/`, `/login/x` are logins too): the tool's reading.
    return (user, epoch, path_feature(path), path == "/login" or path.startswith("/login/"))


def _no_constant(name):
    """NaN, Infinity, -Infinity are no JSON (Python's json accepts them): the line is rejected."""
    raise ValueError(name)


def parse_event(line):
    try:
        o = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(o, dict):
        return None
    d = o.get("date")
    if isinstance(d, bool) or not isinstance(d, (int, float)) or (isinstance(d, float) and not math.isfinite(d)):
        return None
    epoch = math.floor(d / 1000) if isinstance(d, float) else d // 1000  # truncated to whole seconds
    if not (MIN_EPOCH <= epoch < MAX_EPOCH):
        return None
    # userId, module, profil and event-type are strings or null, else the line is rejected
    # (the tool's choice: a module 5 is no record of the new ENT).
    if any(k in o and o[k] is not None and not isinstance(o[k], str) for k in ("userId", "module", "profil", "event-type")):
        return None
    uid = o.get("userId")
    if not isinstance(uid, str) or uid == "":
        return ("F",)
    mod = o.get("module")
    feat = MODULES.get(mod.lower(), "autre") if isinstance(mod, str) else "autre"
    prof = o.get("profil")
    structs = o.get("structures")
    if isinstance(structs, list):
        structs = tuple(s for s in structs if isinstance(s, str) and s)
    else:
        structs = ()
    et = o.get("event-type")
    # SPEC §2.4 "event-type LOGIN": the oracle compares case-insensitively, as the tool does
    # (`login` counts); the spec does not say.
    login = isinstance(et, str) and et.upper() == "LOGIN"
    return (uid, epoch, feat, login, prof if isinstance(prof, str) else None, structs)


def read_bytes(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)  # all members
    return raw


class LogSet:
    def __init__(self):
        self.seen = set()
        self.files = []  # (name, source, lines, qualifying, filtered, rejected, status)
        # records: list per source of tuples
        self.access = []   # (user, epoch, feature, login)
        self.events = []   # (user, epoch, feature, login, profil, structures)

    def add_file(self, path):
        data = read_bytes(path)
        h = hashlib.sha256(data).digest()
        if h in self.seen:  # SPEC §2.5: the same content under any name counts once
            self.files.append((path, "-", 0, 0, 0, 0, "skipped"))
            return
        self.seen.add(h)
        text = data.decode("utf-8", errors="surrogateescape")
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = text.split("\n")
        fmt = None
        recs, rejected, filtered, nonblank = [], 0, 0, 0
        for ln in lines:
            if ln.endswith("\r"):  # the \r of a \r\n; a blank line holds only spaces and tabs
                ln = ln[:-1]
            if not ln.strip(" \t"):
                continue
            ln = ln.rstrip("\r")  # more CRs at the end (\r\r\n) end the line too
            nonblank += 1
            if fmt is None:  # the first well-formed record decides (SPEC §1)
                r = parse_access(ln)
                if r is not None:
                    fmt = "access"
                else:
                    r = parse_event(ln)
                    if r is not None:
                        fmt = "events"
            elif fmt == "access":
                r = parse_access(ln)
            else:
                r = parse_event(ln)
            if r is None:
                rejected += 1
            elif len(r) == 1:
                filtered += 1
            else:
                recs.append(r)
        if nonblank and rejected * 100 > nonblank * 5:  # SPEC §2.2/§4: the file contributes nothing
            self.files.append((path, fmt, nonblank, 0, filtered, rejected, "failed"))
            return
        (self.access if fmt == "access" else self.events).extend(recs)
        self.files.append((path, fmt, nonblank, len(recs), filtered, rejected, "ok"))


# ---------------------------------------------------------------- time (SPEC §2.3)
_hour_cache = {}


def local_day(epoch):
    """Europe/Paris calendar day (ordinal) of an instant. Paris offsets change only on whole
    UTC hours, so one lookup per hour is exact."""
    h = epoch // 3600
    d = _hour_cache.get(h)
    if d is None:
        d = dt.datetime.fromtimestamp(h * 3600, PARIS).date().toordinal()
        _hour_cache[h] = d
    return d


def period_label(kind, ordinal):
    d = dt.date.fromordinal(ordinal)
    if kind == "day":
        return d.isoformat()
    if kind == "week":
        y, w, _ = d.isocalendar()
        return "%04d-W%02d" % (y, w)
    if kind == "month":
        return "%04d-%02d" % (d.year, d.month)
    if kind == "school-year":
        y = d.year if d.month >= 9 else d.year - 1
        return "%d-%d" % (y, y + 1)
    return "all"


def period_last_day(kind, ordinal, last_data_day):
    d = dt.date.fromordinal(ordinal)
    if kind == "day":
        return d
    if kind == "week":
        return d + dt.timedelta(days=6 - d.weekday())
    if kind == "month":
        nm = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return nm - dt.timedelta(days=1)
    if kind == "school-year":
        y = d.year if d.month >= 9 else d.year - 1
        return dt.date(y + 1, 8, 31)
    # 'all': the whole range (see Model.export for its last day)
    return dt.date.fromordinal(last_data_day)


# ---------------------------------------------------------------- the model
class Model:
    def __init__(self, schools_path, accounts_path, epci_path, logs, keep_detail=False):
        self.schools, self.commune_epci = load_schools(schools_path, epci_path)
        self.accounts, by_uid, by_legacy = load_accounts(accounts_path, self.schools, self.commune_epci)
        ls = LogSet()
        for p in logs:
            ls.add_file(p)
        self.logset = ls
        # --- persons: accounts, plus unknown users (one per id per log, as identities are)
        unknown = {}  # (source, id) -> info
        timelines = {}  # (person, day) -> list of (epoch, src, feat, login)
        for (u, ep, ft, lg) in ls.access:
            p = by_legacy.get(u)
            if p is None:
                key = ("access", u)
                p = unknown.get(key)
                if p is None:
                    # access log has no profil nor structures: role unknown, no school
                    p = unknown[key] = Person(False, "unknown", frozenset([("", "", "", "")]))
            timelines.setdefault((p, local_day(ep)), []).append((ep, "access", ft, lg))
        # Unknown users of the event log: role from profil, schools from structures (SPEC §2.1).
        # When records disagree (SPEC does not say; docs/choices.md states it): the tool keeps every role and
        # school an identity's records gave, then takes the alphabetically smallest role
        # (commune < parent < staff < student < teacher) and the union of the schools
        # (found from a disagreement, Sources/EntStat/Store/Store+People.swift
        # rebuildPersonPlaces: MIN(r.role), DISTINCT uai). The oracle does the same. A profil
        # that is no role word gives no role; no role at all -> `unknown`. An unknown commune
        # agent has no code_commune: its places come from its structures too.
        ev_info = {}
        for (u, ep, ft, lg, prof, st) in ls.events:
            p = by_uid.get(u)
            if p is None:
                key = ("events", u)
                p = unknown.get(key)
                if p is None:
                    p = unknown[key] = Person(False, "unknown", frozenset([("", "", "", "")]))
                info = ev_info.get(p)
                if info is None:
                    info = ev_info[p] = (set(), set())
                r = norm_role(prof)
                if r:
                    info[0].add(r)
                info[1].update(st)
            timelines.setdefault((p, local_day(ep)), []).append((ep, "events", ft, lg))
        for p, (roles, st) in ev_info.items():
            p.role = min(roles) if roles else "unknown"
            p.places = places_for("any", sorted(st), "", self.schools, self.commune_epci)
        self.unknown = unknown
        # --- per person-day figures (SPEC §2.4)
        self.days = []  # (person, day, tot(r,l,v), pair{(s,f):[r,l,v]}, srcv{s:v}, featv{f:v})
        # keep_detail (report_figures.py): per entry of self.days, the epochs of its records and
        # of its visits' first records (peak concurrency, hours of the report)
        self.detail = [] if keep_detail else None
        for (p, day), tl in timelines.items():
            tl.sort(key=lambda x: x[0])
            pair = {}
            srcv, featv = {}, {}
            visits = 0
            logins = 0
            last = None
            vpairs = set()
            starts = []

            def close():
                for k in vpairs:
                    pair[k][2] += 1
                for s in {k[0] for k in vpairs}:
                    srcv[s] = srcv.get(s, 0) + 1
                for f in {k[1] for k in vpairs}:
                    featv[f] = featv.get(f, 0) + 1

            for (ep, s, f, lg) in tl:
                if last is None or ep - last > 1800:  # 1800 s continues, 1801 s starts a new visit
                    if last is not None:
                        close()
                    vpairs = set()
                    visits += 1
                    starts.append(ep)
                last = ep
                k = (s, f)
                c = pair.get(k)
                if c is None:
                    c = pair[k] = [0, 0, 0]
                c[0] += 1
                if lg:
                    c[1] += 1
                    logins += 1
                vpairs.add(k)
            close()
            self.days.append((p, day, (len(tl), logins, visits), pair, srcv, featv))
            if self.detail is not None:
                self.detail.append(([x[0] for x in tl], starts))
        self.data_days = sorted({d[1] for d in self.days})

    # ------------------------------------------------------------ export (SPEC §3)
    def export(self, period, by, dfrom=None, dto=None, min_cell=0):
        PLACE = {"school": 0, "level": 1, "commune": 2, "epci": 3}
        for d in by:
            if d not in ("role", "level", "school", "commune", "epci", "feature", "source"):
                raise SystemExit("unknown dimension " + d)
        has_act = "feature" in by or "source" in by
        fo = dt.date.fromisoformat(dfrom).toordinal() if dfrom else None
        to = dt.date.fromisoformat(dto).toordinal() if dto else None
        place_idx = [PLACE[d] for d in by if d in PLACE]
        proj_cache = {}

        def projections(p):
            r = proj_cache.get(p.places)
            if r is None:
                r = proj_cache[p.places] = sorted({tuple(pl[i] for i in place_idx) for pl in p.places})
            return r

        def make_key(role, proj, src, feat):
            out = []
            pi = 0
            for d in by:
                if d == "role":
                    out.append(role)
                elif d == "feature":
                    out.append(feat)
                elif d == "source":
                    out.append(src)
                else:
                    out.append(proj[pi])
                    pi += 1
            return tuple(out)

        want_f, want_s = "feature" in by, "source" in by
        acc = {}
        users = {}
        listed = {}
        periods = {}  # label -> first ordinal seen (for last day)
        for (p, day, tot, pair, srcv, featv) in self.days:
            if fo is not None and day < fo:
                continue
            if to is not None and day > to:
                continue
            lab = period_label(period, day)
            periods.setdefault(lab, day)
            if not has_act:
                entries = [(None, None, tot)]
            elif want_f and want_s:
                entries = [(s, f, v) for (s, f), v in pair.items()]
            elif want_s:
                e = {}
                for (s, f), v in pair.items():
                    c = e.setdefault(s, [0, 0, 0])
                    c[0] += v[0]
                    c[1] += v[1]
                entries = [(s, None, (c[0], c[1], srcv[s])) for s, c in e.items()]
            else:
                e = {}
                for (s, f), v in pair.items():
                    c = e.setdefault(f, [0, 0, 0])
                    c[0] += v[0]
                    c[1] += v[1]
                entries = [(None, f, (c[0], c[1], featv[f])) for f, c in e.items()]
            for proj in projections(p):
                for (s, f, v) in entries:
                    k = (lab,) + make_key(p.role, proj, s, f)
                    a = acc.get(k)
                    if a is None:
                        a = acc[k] = [0, 0, 0]
                        users[k] = set()
                    a[0] += v[0]
                    a[1] += v[1]
                    a[2] += v[2]
                    users[k].add(p)
        rows = {}
        for k, a in acc.items():
            u = users[k]
            rows[k] = [len(u), a[2], a[1], a[0], sum(1 for x in u if x.listed)]
        # --min-cell N (SPEC §3, the report's rule applied to the export): a distinct-user
        # count from 1 to N - 1 (active users, accounts, activated accounts) is written `< N`,
        # and so is a rate computed from one (activation_rate from the accounts and the
        # activated ones, active_rate from the accounts and the listed active users).
        def small(v):
            return min_cell > 0 and 0 < v < min_cell

        def shown(v):
            return "< %d" % min_cell if small(v) else v

        if has_act:
            header = ["period"] + by + ["active_users", "connections", "logins", "requests"]
            lines = [list(k) + [shown(r[0])] + r[1:4] for k, r in sorted(rows.items())]
            return header, lines
        # accounts side: every group with accounts, in every period with any qualifying record
        # 'all' is "the whole range" (SPEC §2.3): with --to, the range asked ends at --to (so
        # accounts activated after the last record but by --to count); without --to, it ends
        # on the last day holding a qualifying record. The spec leaves this open; it is what
        # the tool does (observed with an account activated after the data, before --to).
        kept = [d for d in self.data_days if (fo is None or d >= fo) and (to is None or d <= to)]
        last_data = to if to is not None else (kept[-1] if kept else 0)
        acc_groups = {}
        for a in self.accounts:
            for proj in projections(a):
                k = make_key(a.role, proj, None, None)
                acc_groups.setdefault(k, []).append(a.activated_on)
        out = []
        for lab, anyday in periods.items():
            last = period_last_day(period, anyday, last_data)
            if to is not None:
                last = min(last, dt.date.fromordinal(to))  # SPEC §2.4: clipped to --to
            lastiso = last.isoformat()
            keys = {k[1:] for k in rows if k[0] == lab} | set(acc_groups)
            for g in keys:
                r = rows.get((lab,) + g, [0, 0, 0, 0, 0])
                ac = acc_groups.get(g, [])
                n = len(ac)
                act = sum(1 for x in ac if x and x <= lastiso)
                ar = "< %d" % min_cell if small(act) or small(n) else rate(act, n)
                rr = "< %d" % min_cell if small(r[4]) or small(n) else rate(r[4], n)
                out.append([lab] + list(g) + [shown(r[0])] + r[1:4] + [shown(n), shown(act), ar, rr])
        out.sort(key=lambda x: tuple(x[:1 + len(by)]))
        header = ["period"] + by + ["active_users", "connections", "logins", "requests",
                                    "accounts", "activated_accounts", "activation_rate", "active_rate"]
        return header, out


def rate(num, den):
    """4 decimals, empty when accounts is 0 (SPEC §2.4). The spec does not say how an exact
    half is rounded (5/64 = 0.078125); the oracle rounds half up on the exact fraction, as the
    tool does (observed: 34/64 -> 0.5313, where C's printf and Python's %.4f give 0.5312)."""
    if den == 0:
        return ""
    q, r = divmod(num * 10000 * 2 + den, den * 2)  # floor(num/den*10000 + 1/2)
    return "%d.%04d" % divmod(q, 10000)


BIDI = set([0x200E, 0x200F, 0x061C] + list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)))


def neutral(cell):
    """SPEC §4: text from an input (a school, commune or EPCI name or code, a feature of a
    rules file) must not become a formula in a spreadsheet: `'` before a leading =, +, -, @
    (and tab or CR); direction controls dropped. Numbers are written as they are."""
    if not isinstance(cell, str):
        return cell
    cell = "".join(c for c in cell if ord(c) not in BIDI)
    return "'" + cell if cell and cell[0] in "=+-@\t\r" else cell


def to_csv(header, lines):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180
    w.writerow(header)
    for ln in lines:
        w.writerow([neutral(c) for c in ln])
    return buf.getvalue()


def parse_export_args(argv):
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--period", required=True, choices=["day", "week", "month", "school-year", "all"])
    ap.add_argument("--by", default="")
    ap.add_argument("--from", dest="dfrom")
    ap.add_argument("--to", dest="dto")
    ap.add_argument("--min-cell", default="0")
    a = ap.parse_args(argv)
    by = [x for x in a.by.split(",") if x]
    return a.period, by, a.dfrom, a.dto, int(a.min_cell)


def expand_logs(paths):
    """The log files named: a folder stands for every file under it; sorted by path, the
    order the oracle reads them in."""
    logs = []
    for l in paths:
        if os.path.isdir(l):
            for root, _, fs in os.walk(l):
                logs += [os.path.join(root, f) for f in fs]
        else:
            logs.append(l)
    return sorted(logs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", required=True)
    ap.add_argument("--accounts", required=True)
    ap.add_argument("--epci")
    ap.add_argument("--batch")
    ap.add_argument("--outdir")
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--rules", help="a feature rules file instead of the defaults (SPEC §1.5)")
    ap.add_argument("--files-out", help="writes each log's summary (status, format, lines, "
                    "qualifying, filtered, rejected, path), tab-separated, as `ingest` reports it")
    ap.add_argument("--period", choices=["day", "week", "month", "school-year", "all"])
    ap.add_argument("--by", default="")
    ap.add_argument("--from", dest="dfrom")
    ap.add_argument("--to", dest="dto")
    ap.add_argument("--min-cell", default="0")
    ap.add_argument("logs", nargs="*")
    a = ap.parse_args()
    logs = expand_logs(a.logs)
    if a.rules:
        load_rules(a.rules)
    t0 = time.time()
    m = Model(a.schools, a.accounts, a.epci, logs)
    if a.stats:
        ls = m.logset
        print("oracle: %d files (%d skipped, %d failed), %d lines, %d qualifying, %d filtered, %d rejected, "
              "%d unknown users, %d person-days, parsed in %.1f s" % (
                  len(ls.files), sum(f[6] == "skipped" for f in ls.files), sum(f[6] == "failed" for f in ls.files),
                  sum(f[2] for f in ls.files), sum(f[3] for f in ls.files), sum(f[4] for f in ls.files),
                  sum(f[5] for f in ls.files), len(m.unknown), len(m.days), time.time() - t0), file=sys.stderr)
    if a.files_out:
        # SPEC §3: each file's lines (non-blank), qualifying, filtered and rejected records; a
        # repeat is skipped, a failed file (SPEC §4) contributes nothing and is named.
        with open(a.files_out, "w", encoding="utf-8") as out:
            for (path, fmt, n, q, f, r, status) in m.logset.files:
                if status == "ok":
                    out.write("ingested\t%s\t%d\t%d\t%d\t%d\t%s\n" % (fmt, n, q, f, r, path))
                else:
                    out.write("%s\t-\t-\t-\t-\t-\t%s\n" % (status, path))
    if a.batch:
        with open(a.batch) as fh:
            for line in fh:
                if not line.strip():
                    continue
                name, args = line.rstrip("\n").split("\t", 1)
                h, lines = m.export(*parse_export_args(shlex.split(args)))
                with open(os.path.join(a.outdir, name + ".csv"), "w", newline="", encoding="utf-8") as out:
                    out.write(to_csv(h, lines))
    else:
        if not a.period:
            raise SystemExit("--period or --batch required")
        h, lines = m.export(a.period, [x for x in a.by.split(",") if x], a.dfrom, a.dto, int(a.min_cell))
        sys.stdout.write(to_csv(h, lines))


if __name__ == "__main__":
    main()
