#!/usr/bin/env python3
"""Writes a tiny dataset of edge cases of the report's tables for `report-run`:
python3 report_edge_set.py DIR [--annuaire].
With --annuaire, the schools come as the ministry's annuaire (SPEC §1.1 b: a collège row left
out, levels from the two flags) and the EPCIs from epci.csv, which also names the EPCI of a
commune no school is in.

Each record is placed to test one figure of the report (SPEC §2.1, §2.4, docs/choices.md):
- peak_concurrent_users: 10:04:59 and 10:05:00 in two windows; the repeated 02:00 hour of
  2018-10-28 as real 5-minute windows (two users at 02:01 CEST and 02:01 CET are not
  concurrent; a wall-clock window would make them so), several records of one user in one
  window counted once;
- hours of visits (heures_chargees, rythmes_semaine_heure): a visit counts in the local hour of
  its first record, the repeated hour is hour 2 twice, a visit across the two logs;
- a parent of two levels, of two communes and two EPCIs, of a school absent from schools.csv;
  an unknown parent and an unknown commune agent (profil, structures); a commune agent of a
  commune no school is in; accounts never active;
- communes_parents_services: one visit touching cantine and transport (2 service visits);
- activation dates before, inside and after the period, on a month's last day; months cut
  by --from/--to; a previous period with and without activity;
- text cells that start with `=`, `-` (neutralised), hold `;` and `"` (quoted).
"""
import json, os, sys, datetime as dt

out = sys.argv[1]
os.makedirs(out + "/logs", exist_ok=True)
L = "ABCDEFGHJKLMNPRSTUVWXYZ"


def uai(n):
    return "%07d%s" % (n, L[n % 23])


S1, S2, S3, S4, S9 = uai(802001), uai(802002), uai(802003), uai(802004), uai(802009)
if "--annuaire" in sys.argv[2:]:
    open(out + "/schools.csv", "w", encoding="utf-8", newline="").write(
        "Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Statut_public_prive;Code_commune;"
        "Nom_commune;Ecole_maternelle;Ecole_elementaire\n"
        f"{S1};École A;Ecole;Public;80001;Abbeville;1;0\n"
        f"{S2};=Ecole formule;Ecole;Public;80001;Abbeville;0;1\n"
        f"{S3};\"École \"\"C\"\"; sud\";Ecole;Public;80002;-Ailly;1;1\n"
        f"{uai(802007)};Collège E;Collège;Public;80004;Bray;0;0\n"
        f"{S4};École D;Ecole;Privé;80004;Bray;0;1\n")
    open(out + "/epci.csv", "w", encoding="utf-8", newline="").write(
        "code_commune;epci\n80001;CA Un\n80002;-CC Deux\n80003;CC Trois\n80004;CA Un\n")
else:
    open(out + "/schools.csv", "w", encoding="utf-8", newline="").write(
        "uai;nom;niveau;code_commune;commune;epci\n"
        f"{S1};École A;maternelle;80001;Abbeville;CA Un\n"
        f"{S2};=Ecole formule;elementaire;80001;Abbeville;CA Un\n"
        f"{S3};\"École \"\"C\"\"; sud\";primaire;80002;-Ailly;-CC Deux\n"
        f"{S4};École D;Elementaire;80004;Bray;CA Un\n")
acc = [
    ("p1", "", "parent", f"{S1}|{S2}", "", "2018-09-15"),
    ("p2", "LP2", "parent", f"{S1}|{S3}", "", "2018-10-20"),
    ("p3", "", "parent", S4, "", "2018-11-05"),
    ("p4", "", "parent", S9, "", ""),
    ("p5", "", "parent", S3, "", "2018-10-31"),
    ("t1", "LT1", "teacher", S2, "", "2018-09-01"),
    ("t2", "", "teacher", f"{S3}|{S4}", "", "2018-10-01"),
    ("s1", "", "student", S4, "", "2018-10-15"),
    ("st1", "", "staff", S1, "", ""),
    ("c1", "", "commune", "", "80001", "2018-09-20"),
    ("c2", "", "commune", "", "80003", "2018-10-02"),
    ("c3", "", "commune", "", "80002", "2018-10-25"),
]
with open(out + "/accounts.csv", "w", encoding="utf-8", newline="") as f:
    f.write("user_id;legacy_id;role;schools;code_commune;activated_on\n")
    for r in acc:
        f.write(";".join(r) + "\n")


def ms(iso):
    return int(dt.datetime.fromisoformat(iso).timestamp() * 1000)


def ev(uid, iso, module="Blog", et="ACCESS", **kw):
    o = {"event-type": et, "module": module, "date": ms(iso), "userId": uid}
    o.update(kw)
    return json.dumps(o, ensure_ascii=False)


def acl(user, iso, path, status=200):
    t = dt.datetime.fromisoformat(iso)
    off = t.strftime("%z")
    return f'192.0.2.1 - {user} [{t.strftime("%d/%b/%Y:%H:%M:%S")} {off}] "GET {path} HTTP/1.1" {status} 10 "-" "UA"'


events, access = {}, {}


def E(day, *lines):
    events.setdefault(day, []).extend(lines)


def A(day, *lines):
    access.setdefault(day, []).extend(lines)


E("2018-09-28", ev("p1", "2018-09-28T08:00:00+02:00", "Portal", "LOGIN"),
  ev("p1", "2018-09-28T08:10:00+02:00", "Cantine"), ev("p1", "2018-09-28T08:20:00+02:00", "Transport"))
A("2018-09-28", acl("LT1", "2018-09-28T09:00:00+02:00", "/login"), acl("LT1", "2018-09-28T09:10:00+02:00", "/blog"))
E("2018-09-30", ev("c1", "2018-09-30T10:00:00+02:00", "Cantine"))
# 07:00-07:04:59: four users (one in the old ENT, one unknown), one of them twice
E("2018-10-01", ev("p2", "2018-10-01T07:00:00+02:00", "Transport"),
  ev("u1", "2018-10-01T07:01:00+02:00", "Cantine", profil="Relative", structures=[S4]),
  ev("u1", "2018-10-01T07:40:00+02:00", "Periscolaire", profil="Relative", structures=[S4]),
  ev("p1", "2018-10-01T07:03:00+02:00", "Blog"), ev("p1", "2018-10-01T07:04:59+02:00", "Blog"))
A("2018-10-01", acl("zz", "2018-10-01T07:02:00+02:00", "/accueil"))
# window boundary: 10:04:59 | 10:05:00
E("2018-10-15", ev("t1", "2018-10-15T10:04:59+02:00", "Auth", "LOGIN"), ev("t2", "2018-10-15T10:05:00+02:00"),
  ev("s1", "2018-10-15T10:05:00+02:00", "Exercizer"), ev("p3", "2018-10-15T10:05:30+02:00", "Cantine"))
E("2018-10-17", ev("p5", "2018-10-17T18:00:00+02:00", "Periscolaire"), ev("p4", "2018-10-17T18:00:00+02:00", "Cantine"),
  ev("c2", "2018-10-17T09:00:00+02:00", "Auth", "LOGIN"), ev("c2", "2018-10-17T09:30:00+02:00", "Cantine"))
# the repeated hour: 02:01 CEST (00:01 UTC) and 02:01 CET (01:01 UTC) are an hour apart
E("2018-10-28", ev("p1", "2018-10-28T02:01:00+02:00"), ev("p2", "2018-10-28T02:01:00+01:00"),
  ev("u2", "2018-10-28T02:02:00+01:00", "Cantine", profil="PERS_COLL", structures=[S3]))
A("2018-10-28", acl("LT1", "2018-10-28T01:59:00+00:00", "/blog"))
# a visit across the two logs; one visit touching cantine and transport
A("2018-10-29", acl("LT1", "2018-10-29T08:00:00+01:00", "/cahier-liaison"))
E("2018-10-29", ev("t1", "2018-10-29T08:20:00+01:00", "SchoolBook"),
  ev("p2", "2018-10-29T12:00:00+01:00", "Cantine"), ev("p2", "2018-10-29T12:05:00+01:00", "Transport"))
E("2018-11-02", ev("s1", "2018-11-02T14:00:00+01:00", "Exercizer"), ev("p3", "2018-11-02T21:00:00+01:00", "Transport"),
  ev("c1", "2018-11-02T11:00:00+01:00", "Periscolaire"))
E("2018-11-06", ev("p5", "2018-11-06T20:00:00+01:00", "Transport"), ev("u1", "2018-11-06T20:00:00+01:00", "Blog",
                                                                        profil="Relative", structures=[S4]))
A("2018-11-06", acl("LP2", "2018-11-06T19:00:00+01:00", "/cantine"))
for d, ls in events.items():
    open(f"{out}/logs/events-{d}.jsonl", "w", encoding="utf-8").write("\n".join(ls) + "\n")
for d, ls in access.items():
    open(f"{out}/logs/access-{d}.log", "w", encoding="utf-8").write("\n".join(ls) + "\n")
