-- titre: La migration, semaine par semaine
-- question: Pendant le tuilage, combien d'utilisateurs actifs dans l'ancien ENT, dans le nouveau, et dans les deux la même semaine ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par semaine ISO ayant de l'activité. L'ancien ENT = journal d'accès (source access),
--         le nouveau = journal d'événements (source events).
-- identique à: entstat export --period week --by source (utilisateurs_ancien_ent, utilisateurs_nouvel_ent)
-- b : la période [d0, d1] ; [w0, w1] : ses semaines entier(e)s (w0 = d1 + 1 s'il n'y en a pas).
WITH b AS (SELECT d0, d1,
                  COALESCE((SELECT MIN(first_day) FROM period WHERE kind = 'week' AND first_day >= d0 AND last_day <= d1), d1 + 1) AS w0,
                  COALESCE((SELECT MAX(last_day) FROM period WHERE kind = 'week' AND first_day >= d0 AND last_day <= d1), d1) AS w1
           FROM (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                        (SELECT day FROM calendar WHERE date = :to) AS d1)),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- L'activité de chaque personne, semaine par semaine et journal par journal : une semaine entière
-- de la période se lit dans activity_period, une semaine coupée par :from ou :to jour par jour dans activity.
pw AS (SELECT p.label AS week, ap.person, ap.source
       FROM b CROSS JOIN period p JOIN activity_period ap ON ap.kind = p.kind AND ap.first_day = p.first_day
       WHERE p.kind = 'week' AND p.first_day BETWEEN b.w0 AND b.w1
         AND ap.source != '*' AND ap.feature = '*'
       UNION ALL
       SELECT c.iso_week, a.person, a.source
       FROM b CROSS JOIN activity a JOIN calendar c ON c.day = a.day
       WHERE a.source != '*' AND a.feature = '*' AND a.day BETWEEN b.d0 AND b.w0 - 1
       UNION ALL
       SELECT c.iso_week, a.person, a.source
       FROM b CROSS JOIN activity a JOIN calendar c ON c.day = a.day
       WHERE a.source != '*' AND a.feature = '*' AND a.day BETWEEN b.w1 + 1 AND b.d1),
w AS (SELECT pw.week, pw.person, MAX(pw.source = 'access') AS old_ent, MAX(pw.source = 'events') AS new_ent
      FROM pw JOIN sp ON sp.person = pw.person
      GROUP BY pw.week, pw.person)
SELECT week AS semaine,
       (SELECT MIN(date) FROM calendar WHERE iso_week = week) AS lundi,
       SUM(old_ent) AS utilisateurs_ancien_ent,
       SUM(new_ent) AS utilisateurs_nouvel_ent,
       SUM(old_ent AND new_ent) AS utilisateurs_les_deux,
       CASE WHEN SUM(old_ent) > 0 THEN 1.0 * SUM(old_ent AND new_ent) / SUM(old_ent) END AS part_ancien_aussi_nouvel
FROM w GROUP BY week ORDER BY week;
