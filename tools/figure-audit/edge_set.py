#!/usr/bin/env python3
"""Writes a tiny dataset of edge cases (SPEC §1-§2) for `run`: python3 edge_set.py DIR."""
import gzip, json, os, sys, datetime as dt
out = sys.argv[1]; os.makedirs(out + "/logs", exist_ok=True)
L = "ABCDEFGHJKLMNPRSTUVWXYZ"
def uai(n): return "%07d%s" % (n, L[n % 23])
S1, S2, S3, S4, S9 = uai(801001), uai(801002), uai(801003), uai(801004), uai(801009)
S5 = "0801005" + L[(801005 + 1) % 23]  # a wrong check letter: warned about, the row loaded
open(out + "/schools.csv", "w", encoding="utf-8", newline="").write(
  "\ufeffuai;nom;niveau;code_commune;commune;epci\r\n"
  f"{S1};École A;Maternelle;80001;Abbeville;CA Un\r\n"
  f"{S2};\"École B; élém\";Élémentaire;80001;Abbeville;CA Un\r\n"
  f"{S3};École \"\"C\"\" <&>;PRIMAIRE;80002;Ailly;\"CC Deux, et virgule\"\r\n"
  f"{S4};École D;elementaire;80002;Ailly;\"CC Deux, et virgule\"\r\n"
  f"{S5};École E, lettre fausse;maternelle;80001;Abbeville;CA Un\r\n")
acc = [
 ("a1","L1","parent",f"{S1}|{S2}","","2018-10-20"),
 ("a2","L2","teacher",S3,"","2018-10-30"),
 ("a3","","commune","","80001",""),
 ("a4","","Collectivité","","80003","2018-10-28"),
 ("a5","","student",S9,"","2018-10-01"),
 ("a6","","PERS_ETAB",S1,"","2018-11-03"),
 ("a7","L7","Élève",S2,"","2018-10-27"),
 ("a1","L8","parent",S1,"","2018-10-29"),
 ("a9","L9","Enseignant",S2,"","2018-10-29"),
 ("a10","L10","Relative",f"{S2}|{S3}","","2019-09-01"),
]
# six more parents of school C, two activated: with --min-cell 5 its accounts are shown and
# its activated accounts (2) and activation rate are not
acc += [("a%d" % i, "", "parent", S3, "", "2018-10-01" if i < 22 else "") for i in range(20, 26)]
# activated_on that is no date YYYY-MM-DD: the account counts as never activated (a warning)
acc += [("b1", "", "parent", S1, "", "20/10/2018"), ("b2", "", "parent", S1, "", "2018-10-28T10:00"),
        ("b3", "", "parent", S1, "", "2018-02-30"), ("b4", "", "parent", S1, "", "2018-10-01\u00a0")]
# a teacher of the school with a wrong letter; a commune agent listing a school (its places
# come from its code_commune)
acc += [("d1", "", "teacher", S5, "", "2018-10-02"), ("c1", "", "commune", S1, "80003", "2018-10-01")]
# 800 parents of school D, 57 activated and 57 active: both rates are 57/800 = 0.07125, an
# exact half of the fourth decimal that the double 1.0 * 57 / 800 lies just below (0.0713 on
# the exact quotient, 0.0712 on the double)
acc += [("p%d" % i, "", "parent", S4, "", "2018-10-01" if i < 57 else "") for i in range(800)]
with open(out + "/accounts.csv", "w", encoding="utf-8", newline="") as f:
  f.write("user_id;legacy_id;role;schools;code_commune;activated_on\n")
  for r in acc: f.write(";".join(r) + "\n")
def acl(user, ts, req, status=200, off="+0200", ua="Mozilla/5.0", nbytes="123"):
  return f'192.0.2.1 - {user} [{ts} {off}] "{req}" {status} {nbytes} "-" "{ua}"'
def ms(iso): return int(dt.datetime.fromisoformat(iso).timestamp() * 1000)
def ev(uid, iso, module="Blog", et="ACCESS", profil=None, structures=None, **kw):
  o = {"event-type": et, "module": module, "date": ms(iso) if isinstance(iso, str) else iso, "userId": uid}
  if profil is not None: o["profil"] = profil
  if structures is not None: o["structures"] = structures
  o.update(kw); return json.dumps(o, ensure_ascii=False)
# access fe1: local time, plain, BOM, CRLF, first line malformed
a1 = [
 "<html>502 Bad Gateway</html>",
 acl("L1", "27/Oct/2018:10:00:00", "GET /messagerie/boite?page=2 HTTP/1.1"),
 acl("L1", "27/Oct/2018:11:00:01", "POST /login HTTP/1.1", 302),         # 1801 s after the event at 10:30
 acl("L1", "27/Oct/2018:23:50:00", "GET /accueil HTTP/1.1"),
 acl("L9", "27/Oct/2018:12:00:00", "GET /static/app.JS?v=1 HTTP/1.1"),     # static: filtered
 acl("L9", "27/Oct/2018:12:00:05", "GET /blogue HTTP/1.1"),                # autre
 acl("L9", "27/Oct/2018:12:00:06", "GET /blog/12?x=/cantine HTTP/1.1", 399, nbytes="-"),
 acl("L9", "27/Oct/2018:12:00:07", "GET /blog HTTP/1.1", 400),             # filtered
 acl("L9", "27/Oct/2018:12:00:08", "GET /blog HTTP/1.1", 199),             # filtered
 acl("-",  "27/Oct/2018:12:00:09", "GET /blog HTTP/1.1"),                  # anonymous: filtered
 acl("L9", "27/Oct/2018:12:00:10", "GET /login/ HTTP/1.1", ua='Moz \\"quoted\\" UA'),
 acl("L9", "27/Oct/2018:12:00:11", "GET /login?next=/blog HTTP/1.1"),
 acl("L9", "27/Oct/2018:12:00:12", "GET /Messagerie HTTP/1.1"),
 "",
 acl("L9", "27/Oct/2018:12:00:13", "GET /logout HTTP/1.1"),
 acl("zz9", "27/Oct/2018:13:00:00", "GET /annuaire HTTP/1.1"),              # unknown user, access log
 acl("L8", "27/Oct/2018:14:00:00", "GET /cahier-liaison HTTP/1.1"),
 acl("L9", "28/Oct/2018:23:59:60", "GET /documents HTTP/1.1", off="+0100"),  # leap second
 ev("a1", "2018-10-27T10:30:00+02:00"),                                       # JSON in an access file: rejected
]
a1 += [acl("-", "27/Oct/2018:05:%02d:00" % (i % 60), "GET /health HTTP/1.1") for i in range(60)]
open(out + "/logs/access-fe1-2018-10-27.log", "w", encoding="utf-8", newline="").write(
  "\ufeff" + "\r\n".join(a1) + "\r\n")
# access fe2: UTC, multi-member gzip
a2a = [acl("L1", "27/Oct/2018:22:10:00", "GET /agenda HTTP/1.1", off="+0000"),     # 00:10 local on the 28th
       acl("L2", "28/Oct/2018:23:00:00", "GET /mur/3 HTTP/1.1", off="+0000")]       # 00:00 local on the 29th
a2b = [acl("L2", "28/Oct/2018:22:59:59", "GET /exercices HTTP/1.1", off="+0000"),   # 23:59:59 local, 28th
       acl("L7", "01/Jan/1999:10:00:00", "GET /blog HTTP/1.1")]                    # out of range: rejected
with open(out + "/logs/access-fe2-2018-10-28.log.gz", "wb") as f:
  f.write(gzip.compress(("\n".join(a2a) + "\n").encode()))
  f.write(gzip.compress(("\n".join(a2b) + "\n").encode()))
  f.write(gzip.compress(("\n".join(acl("-", "28/Oct/2018:05:%02d:00" % (i % 60), "GET /health HTTP/1.1") for i in range(40)) + "\n").encode()))
# events
e1 = [
 ev("a1", "2018-10-27T10:30:00+02:00", "Blog"),                                # exactly 1800 s after the access record
 ev("a2", "2018-10-28T00:30:00+00:00", "Conversation", "LOGIN"),               # 02:30 CEST
 ev("a2", "2018-10-28T01:00:00+00:00", "conversation"),                        # 02:00 CET, +1800
 ev("a2", "2018-10-28T01:30:01+00:00", "TIMELINE"),                            # +1801
 ev("a2", "2018-10-28T22:59:59+00:00", "Workspace"),                           # same instant as an access record
 ev("a3", "2018-10-29T09:00:00+01:00", "cantine"),
 ev("a4", "2018-10-29T09:10:00+01:00", "Auth", "login"),                       # lower-case event type
 ev("a5", ms("2018-10-29T09:00:00+01:00") + 999.7, "Exercizer"),               # float date
 ev("a6", "2018-10-29T10:00:00+01:00", "Foo", "CREATE", extra={"a": [1, None]}, source=None),
 ev("u1", "2018-10-29T10:00:00+01:00", "Blog", profil="Relative", structures=[S3]),
 ev("u1", "2018-10-29T18:00:00+01:00", "Blog", profil="Teacher", structures=[S1]),
 ev("u2", "2018-10-29T10:00:00+01:00", "Blog", profil="Guest", structures=[]),
 ev("u3", "2018-10-29T10:00:00+01:00", "Blog", structures=[S2]),
 ev("zz9", "2018-10-29T11:00:00+01:00", "Directory", profil="Personnel", structures=[S3]),
 ev("u5", "2018-10-29T11:00:00+01:00", "Actualites", profil="PERS_COLL", structures=[S1]),
 ev("u6", "2018-10-29T11:00:00+01:00", "Actualites", profil="élève", structures=[S9, S2]),
 ev(None, "2018-10-29T11:00:00+01:00"), ev("", "2018-10-29T11:00:00+01:00"),
 '{"event-type":"ACCESS","module":"Blog","userId":"a1"}',
 '{"event-type":"ACCESS","module":"Blog","date":"1540800000000","userId":"a1"}',
 ev("a10", "2018-10-29T12:00:00+01:00", "Blog"),
 ev("a10", "2018-10-29T12:00:00+01:00", "Blog"),                               # identical line twice in a file
 ev("a10", "2019-09-02T12:00:00+02:00", "Calendar"),                           # next school year
 ev("a10", "2018-08-31T12:00:00+02:00", "Calendar"),                           # previous school year
 ev("a9", "2018-11-05T08:00:00+01:00", "Auth", "LOGIN"),
]
e1 += [ev(None, "2018-10-29T05:00:00+01:00") for i in range(60)]
data = ("\n".join(e1) + "\n").encode()
open(out + "/logs/events-fe1-2018-10-29.jsonl.gz", "wb").write(gzip.compress(data))
open(out + "/logs/events-copy-2018-10-29.jsonl", "wb").write(data)               # same content: skipped
# exactly 5 % rejected (1 of 20): kept; 2 of 20: file fails
ok = [ev("a7", "2018-10-30T09:%02d:00+01:00" % i, "Blog") for i in range(19)] + ["{broken"]
open(out + "/logs/events-fe3-2018-10-30.jsonl", "w").write("\n".join(ok) + "\n")
bad = [ev("a6", "2018-10-31T09:%02d:00+01:00" % i, "Blog") for i in range(18)] + ["{broken", "{broken"]
open(out + "/logs/events-fe4-2018-10-31.jsonl", "w").write("\n".join(bad) + "\n")
# the 57 activated parents of school D, active on one day
open(out + "/logs/events-fe5-2018-10-30.jsonl", "w").write(
  "\n".join(ev("p%d" % i, "2018-10-30T18:%02d:00+01:00" % i, "SchoolBook") for i in range(57)) + "\n")
# access fe3: request targets and time stamps the spec does not spell out (docs/choices.md,
# "Log lines"); 5 rejected lines of 107, under 5 %
a3 = [
 acl("L9", "27/Oct/2018:15:00:00", "-", 408),                                 # no request (timeout): filtered
 acl("L9", "27/Oct/2018:15:00:01", "-"),                                      # no target, status 200: filtered
 acl("L9", "27/Oct/2018:15:00:02", "GET https://ent.example.fr/blog/3 HTTP/1.1"),  # absolute: /blog/3
 acl("L9", "27/Oct/2018:15:00:03", "GET http://ent.example.fr HTTP/1.1"),     # host alone: /, autre
 acl("L9", "27/Oct/2018:15:00:04", "GET /cantine;jsessionid=AB12 HTTP/1.1"),  # path parameters cut
 acl("L9", "27/Oct/2018:15:00:05", "GET /app.js;v=2 HTTP/1.1"),               # static once cut: filtered
 acl("L9", "27/Oct/2018:15:00:06", "GET /login;jsessionid=X HTTP/1.1"),       # a login
 acl("L9", "27/Oct/2018:15:00:07", "GET /transport#top HTTP/1.1"),            # fragment cut
 acl("L9", "27/oct/2018:15:00:08", "GET /agenda HTTP/1.1"),                   # month in any case
 acl("L9", "27/OCT/2018:15:00:09", "GET /agenda HTTP/1.1"),
 acl("L9", "27/Oct/2018:15:00:10", "GET /agenda HTTP/1.1", off="+1500"),      # offset beyond 14 h: rejected
 acl("L9", "27/Oct/2018:15:00:11", "GET /agenda HTTP/1.1", off="+0160"),      # 60 minutes: rejected
 acl("L9", "27/Oct/2018:15:00:12", "GET ?x=1 HTTP/1.1"),                      # empty path: autre
 "\u00a0",                                                                     # a no-break space is no blank: rejected
 "\t \t",                                                                     # blank
 "  \r\r",                                                                     # \r\r\n: not blank, rejected
 acl("L9", "２7/Oct/2018:15:00:13", "GET /agenda HTTP/1.1"),                   # a full-width digit: rejected
 acl("jean\u00a0d", "27/Oct/2018:15:00:14", "GET /agenda HTTP/1.1"),          # a user holding a no-break space
]
a3 += [acl("-", "27/Oct/2018:06:%02d:00" % (i % 60), "GET /health HTTP/1.1") for i in range(90)]
open(out + "/logs/access-fe3-2018-10-27.log", "w", encoding="utf-8", newline="").write("\n".join(a3) + "\n")
# events fe6: fields entstat reads that are neither strings nor null are rejected; 6 of 127
e6 = [
 '{"event-type":"ACCESS","module":"Blog","date":%d,"userId":123}' % ms("2018-10-29T14:00:00+01:00"),
 '{"event-type":"ACCESS","module":"Blog","date":%d,"userId":true}' % ms("2018-10-29T14:00:01+01:00"),
 '{"event-type":"ACCESS","module":5,"date":%d,"userId":"a9"}' % ms("2018-10-29T14:00:02+01:00"),
 '{"event-type":7,"module":"Blog","date":%d,"userId":"a9"}' % ms("2018-10-29T14:00:03+01:00"),
 '{"event-type":"ACCESS","module":"Blog","profil":["Teacher"],"date":%d,"userId":"zz7"}' % ms("2018-10-29T14:00:04+01:00"),
 ev("a9", "2018-10-29T14:00:05+01:00", "Blog", profil=None, module2=5),        # an unknown key of any type: kept
 ev("a9", "2018-10-29T14:00:06+01:00", None),                                 # module null: autre
]
e6 += ['{"date":%d,"userId":"a9","module":"Blog","x":NaN}' % ms("2018-10-29T14:00:07+01:00"),   # no JSON: rejected
       '{"date":%d,"userId":"a9","module":5,"module":"Blog"}' % ms("2018-10-29T14:00:08+01:00")]  # the last counts
e6 += [ev(None, "2018-10-29T06:00:00+01:00") for i in range(118)]
open(out + "/logs/events-fe6-2018-10-29.jsonl", "w").write("\n".join(e6) + "\n")
# access fe4: ISO week 53 and the year's end, the school year's first minute written in UTC,
# the spring DST change (01:59:59 then 03:00:00, one second apart: one visit), a half-hour
# offset, every static extension in another case
a4 = [
 acl("L9", "31/Dec/2020:23:30:00", "GET /blog HTTP/1.1", off="+0100"),       # 2020-W53
 acl("L9", "03/Jan/2021:10:00:00", "GET /blog HTTP/1.1", off="+0100"),       # Sunday: 2020-W53
 acl("L9", "04/Jan/2021:10:00:00", "GET /blog HTTP/1.1", off="+0100"),       # 2021-W01
 acl("L9", "31/Aug/2019:22:30:00", "GET /agenda HTTP/1.1", off="+0000"),     # 00:30 on 1 Sept: 2019-2020
 acl("L9", "31/Aug/2019:21:59:59", "GET /agenda HTTP/1.1", off="+0000"),     # 23:59:59 on 31 Aug: 2018-2019
 acl("L9", "31/Mar/2019:01:59:59", "GET /mur HTTP/1.1", off="+0100"),
 acl("L9", "31/Mar/2019:03:00:00", "GET /mur HTTP/1.1", off="+0200"),
 acl("L9", "15/Nov/2018:10:00:00", "GET /blog HTTP/1.1", off="+0530"),       # 05:30 UTC, 06:30 in Paris
]
a4 += [acl("L9", "15/Nov/2018:11:00:%02d" % i, "GET /img/a%s?v=1 HTTP/1.1" % x)
       for i, x in enumerate([".JPEG", ".Gif", ".woff", ".WOFF2", ".ttf", ".map", ".svg", ".ico", ".PNG", ".jpg", ".CSS", ".Js"])]
open(out + "/logs/access-fe4-2020-12-31.log", "w", encoding="utf-8", newline="").write("\n".join(a4) + "\n")
# events fe7: unknown keys named as known ones, nested; an escaped id; a key given twice (the
# last counts); the commune agent
m = ms("2018-11-15T14:00:00+01:00")
e7 = [
 '{"x":{"date":"no","userId":5,"module":7},"date":%d,"userId":"a9","module":"Blog"}' % m,
 '{"date":%d,"userId":"a\\u0039","module":"Calendar"}' % (m + 1),
 '{"date":%d,"userId":"zz1","userId":"a9","module":"Workspace"}' % (m + 2),
 '{"date":"x","date":%d,"userId":"a9","module":"Exercizer"}' % (m + 3),
 ev("c1", "2018-11-15T15:00:00+01:00", "Cantine"),
 ev("d1", "2018-11-15T15:00:00+01:00", "Blog"),
]
open(out + "/logs/events-fe7-2018-11-15.jsonl", "w").write("\n".join(e7) + "\n")
