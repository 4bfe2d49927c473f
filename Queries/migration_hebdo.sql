-- titre: La migration, semaine par semaine
-- question: Pendant le tuilage, combien d'utilisateurs actifs dans l'ancien ENT, dans le nouveau, et dans les deux la même semaine ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par semaine ISO ayant de l'activité. L'ancien ENT = journal d'accès (source access),
--         le nouveau = journal d'événements (source events).
-- identique à: entstat export --period week --by source (utilisateurs_ancien_ent, utilisateurs_nouvel_ent)
-- b : la période [d0, d1] ; [w0, w1] : ses semaines entier(e)s (w0 = d1 + 1 s'il n'y en a pas). Une
-- semaine coupée par :from ou :to compte comme entière quand elle n'a aucune activité hors de [d0, d1]
-- ([e0, e1] : la période ainsi étendue) : ses cumuls sont alors ceux des jours de la période.
WITH d AS MATERIALIZED (SELECT d0, d1,
                  (SELECT first_day FROM period WHERE kind = 'week' AND d0 BETWEEN first_day AND last_day) AS f0,
                  (SELECT last_day FROM period WHERE kind = 'week' AND d1 BETWEEN first_day AND last_day) AS l1
           FROM (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                        (SELECT day FROM calendar WHERE date = :to) AS d1)),
e AS MATERIALIZED (SELECT d0, d1,
             CASE WHEN EXISTS (SELECT 1 FROM person_day_activity WHERE day BETWEEN f0 AND d0 - 1) THEN d0 ELSE f0 END AS e0,
             CASE WHEN EXISTS (SELECT 1 FROM person_day_activity WHERE day BETWEEN d1 + 1 AND l1) THEN d1 ELSE l1 END AS e1
      FROM d),
b AS (SELECT d0, d1,
             COALESCE((SELECT MIN(first_day) FROM period WHERE kind = 'week' AND first_day >= e0 AND last_day <= e1), d1 + 1) AS w0,
             COALESCE((SELECT MAX(last_day) FROM period WHERE kind = 'week' AND first_day >= e0 AND last_day <= e1), d1) AS w1
      FROM e),
-- scoped : une commune ou un EPCI est choisi. Sinon, les semaines entières se lisent dans
-- activity_period_role (totaux du territoire par semaine, role '*' : chaque personne une fois).
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
sp AS MATERIALIZED (SELECT DISTINCT person FROM person_place
                    WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- few = 1 : le territoire a peu de personnes (moins d'une sur huit) ; ses semaines se lisent
-- alors personne par personne dans person_period (une recherche par personne et semaine),
-- sinon en parcourant chaque semaine entière (sur une année scolaire de la Somme, parcourir :
-- 0,6 s quelle que soit la commune ; chercher : 0,06 s pour une commune de 30 personnes).
few AS (SELECT CASE WHEN (SELECT yes FROM scoped)
                    THEN (SELECT COUNT(*) FROM sp) * 8 < (SELECT COUNT(*) FROM person) ELSE 0 END AS yes),
-- Les semaines entières que lit chacune des trois façons de compter ci-dessous : [w0, w1] pour
-- celle qui s'applique, NULL pour les deux autres. Une borne NULL arrête la lecture avant sa
-- première ligne ; une simple condition « (SELECT yes FROM scoped) » serait évaluée ligne à
-- ligne, après la lecture de chaque semaine de la période (0,2 s sans périmètre).
wr AS MATERIALIZED (
       SELECT CASE WHEN NOT s.yes THEN w0 END AS t0, CASE WHEN NOT s.yes THEN w1 END AS t1,
              CASE WHEN s.yes AND NOT f.yes THEN w0 END AS p0, CASE WHEN s.yes AND NOT f.yes THEN w1 END AS p1,
              CASE WHEN s.yes AND f.yes THEN w0 END AS q0, CASE WHEN s.yes AND f.yes THEN w1 END AS q1
       FROM b, scoped s, few f),
-- everyone = 1 : pas de périmètre et toute personne a au moins une ligne dans person_place ;
-- le filtre « person IN sp » ne retire alors rien et n'est pas évalué ligne à ligne.
everyone AS (SELECT :commune = '' AND :epci = ''
                    AND NOT EXISTS (SELECT 1 FROM person p
                                    WHERE NOT EXISTS (SELECT 1 FROM person_place pp WHERE pp.person = p.id)) AS yes),
-- Par semaine : o = personnes actives dans l'ancien ENT, n = dans le nouveau, e = dans l'un ou
-- l'autre (la ligne source = '*' d'une personne existe dès qu'elle a une ligne access ou events) ;
-- les deux = o + n - e. Une semaine entière de la période se lit dans person_period, une ligne
-- par personne et semaine : e compte celles qui ont une ligne de total (days > 0), o et n celles
-- dont le détail contient la ligne du journal (entstat écrit le détail sans espaces : la ligne
-- du journal d'accès y commence par ["access","*", et aucun nom de service ne peut contenir ce
-- texte, ses guillemets y étant échappés ; le détail d'une personne vue dans ce seul journal
-- commence par {"access":, et un tel détail, d'un seul journal, n'est pas parcouru : ses lignes
-- n'ont pas de source) ; une semaine coupée par :from ou :to se lit jour par jour dans
-- person_day_activity, de la même façon.
-- ws : sans périmètre, les semaines entières lues dans activity_period_role ; sinon dans
-- person_period, parcourues ou cherchées personne par personne (few) ; les semaines coupées.
-- Les deux lectures de person_period comptent chacune de leur côté : réunies sous un seul
-- GROUP BY, leurs lignes seraient triées (0,1 à 0,2 s de plus pour la plus grande commune).
ws AS (SELECT (SELECT label FROM period p WHERE p.kind = 'week' AND p.first_day = t.first_day) AS week,
              COALESCE(SUM(t.users) FILTER (WHERE t.source = 'access'), 0) AS o,
              COALESCE(SUM(t.users) FILTER (WHERE t.source = 'events'), 0) AS n,
              COALESCE(SUM(t.users) FILTER (WHERE t.source = '*'), 0) AS e
       FROM activity_period_role t
       WHERE t.kind = 'week' AND t.first_day BETWEEN (SELECT t0 FROM wr) AND (SELECT t1 FROM wr)
         AND t.role = '*' AND t.feature = '*'
       GROUP BY t.first_day
       UNION ALL
       SELECT (SELECT label FROM period p WHERE p.kind = 'week' AND p.first_day = s.first_day) AS week, s.o, s.n, s.e
       FROM (SELECT pp.first_day,
                    COUNT(*) FILTER (WHERE (substr(pp.detail, 1, 10) = '{"access":' OR (substr(pp.detail, 1, 1) = '[' AND instr(pp.detail, '["access","*",') > 0))) AS o,
                    COUNT(*) FILTER (WHERE (substr(pp.detail, 1, 10) = '{"events":' OR (substr(pp.detail, 1, 1) = '[' AND instr(pp.detail, '["events","*",') > 0))) AS n,
                    COUNT(*) FILTER (WHERE pp.days > 0) AS e
             FROM person_period pp
             WHERE pp.kind = 'week' AND pp.first_day BETWEEN (SELECT p0 FROM wr) AND (SELECT p1 FROM wr)
               AND pp.person IN (SELECT person FROM sp)
             GROUP BY pp.first_day) s
       UNION ALL
       SELECT (SELECT label FROM period p WHERE p.kind = 'week' AND p.first_day = s.first_day) AS week, s.o, s.n, s.e
       FROM (SELECT w.first_day,
                    COUNT(*) FILTER (WHERE (substr(pp.detail, 1, 10) = '{"access":' OR (substr(pp.detail, 1, 1) = '[' AND instr(pp.detail, '["access","*",') > 0))) AS o,
                    COUNT(*) FILTER (WHERE (substr(pp.detail, 1, 10) = '{"events":' OR (substr(pp.detail, 1, 1) = '[' AND instr(pp.detail, '["events","*",') > 0))) AS n,
                    COUNT(*) FILTER (WHERE pp.days > 0) AS e
             FROM period w CROSS JOIN sp
                  CROSS JOIN person_period pp ON pp.kind = 'week' AND pp.first_day = w.first_day AND pp.person = sp.person
             WHERE w.kind = 'week' AND w.first_day BETWEEN (SELECT q0 FROM wr) AND (SELECT q1 FROM wr)
             GROUP BY w.first_day) s
       UNION ALL
       SELECT c.iso_week,
              COUNT(DISTINCT a.person) FILTER (WHERE (substr(a.detail, 1, 10) = '{"access":' OR (substr(a.detail, 1, 1) = '[' AND instr(a.detail, '["access","*",') > 0))),
              COUNT(DISTINCT a.person) FILTER (WHERE (substr(a.detail, 1, 10) = '{"events":' OR (substr(a.detail, 1, 1) = '[' AND instr(a.detail, '["events","*",') > 0))),
              COUNT(DISTINCT a.person)
       FROM b CROSS JOIN person_day_activity a JOIN calendar c ON c.day = a.day
       WHERE (a.day BETWEEN b.d0 AND b.w0 - 1 OR a.day BETWEEN b.w1 + 1 AND b.d1)
         AND ((SELECT yes FROM everyone) OR a.person IN (SELECT person FROM sp))
       GROUP BY c.iso_week)
SELECT week AS semaine,
       (SELECT MIN(date) FROM calendar WHERE iso_week = week) AS lundi,
       o AS utilisateurs_ancien_ent,
       n AS utilisateurs_nouvel_ent,
       o + n - e AS utilisateurs_les_deux,
       CASE WHEN o > 0 THEN 1.0 * (o + n - e) / o END AS part_ancien_aussi_nouvel
FROM ws ORDER BY week;
