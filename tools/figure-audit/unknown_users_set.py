#!/usr/bin/env python3
"""Writes a tiny dataset of users absent from accounts.csv whose records disagree, for `run`:
python3 unknown_users_set.py DIR."""
import gzip, json, os, sys, datetime as dt
out = sys.argv[1]; os.makedirs(out + "/logs", exist_ok=True)
L = "ABCDEFGHJKLMNPRSTUVWXYZ"
def uai(n): return "%07d%s" % (n, L[n % 23])
S1, S2, S3 = uai(801001), uai(801002), uai(801003)
open(out + "/schools.csv", "w").write("uai;nom;niveau;code_commune;commune;epci\n"
  f"{S1};A;maternelle;80001;X;E1\n{S2};B;elementaire;80002;Y;E1\n{S3};C;primaire;80003;Z;E2\n")
open(out + "/accounts.csv", "w").write("user_id;legacy_id;role;schools;code_commune;activated_on\nk1;;parent;%s;;2018-10-01\n" % S1)
def ms(iso): return int(dt.datetime.fromisoformat(iso).timestamp() * 1000)
def ev(uid, iso, profil=None, structures=None, module="Blog"):
  o = {"event-type": "ACCESS", "module": module, "date": ms(iso), "userId": uid}
  if profil is not None: o["profil"] = profil
  if structures is not None: o["structures"] = structures
  return json.dumps(o)
T = "2018-10-29T%s:00:00+01:00"
e = [
 ev("k1", T % "08"),
 # u7: file order = later record first
 ev("u7", T % "18", "Relative", [S2]), ev("u7", T % "10", "Teacher", [S1]),
 # u8: same profil, structures differ
 ev("u8", T % "10", "Teacher", [S1]), ev("u8", T % "11", "Teacher", [S2]),
 # u9: no profil first, then one
 ev("u9", T % "10", None, [S3]), ev("u9", T % "11", "Student", [S3]),
 # u10: profil then no profil / empty structures later
 ev("u10", T % "10", "Personnel", [S3]), ev("u10", T % "11", None, []),
 # u11: unknown profil word
 ev("u11", T % "10", "Guest", [S2]),
]
open(out + "/logs/events-a-2018-10-29.jsonl", "w").write("\n".join(e[:6]) + "\n")
# u12 on another day, another file: Teacher on the 30th, Relative on the 29th (file ingested later)
e2 = e[6:] + [ev("u12", "2018-10-30T10:00:00+01:00", "Teacher", [S1])]
open(out + "/logs/events-b-2018-10-29.jsonl", "w").write("\n".join(e2) + "\n")
open(out + "/logs/events-c-2018-10-30.jsonl", "w").write(ev("u12", T % "09", "Relative", [S2]) + "\n")
