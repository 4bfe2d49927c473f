-- titre: La migration, semaine par semaine
-- question: Pendant le tuilage, combien d'utilisateurs actifs dans l'ancien ENT, dans le nouveau, et dans les deux la même semaine ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par semaine ISO ayant de l'activité. L'ancien ENT = journal d'accès (source access),
--         le nouveau = journal d'événements (source events).
-- identique à: entstat export --period week --by source (utilisateurs_ancien_ent, utilisateurs_nouvel_ent)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
w AS (SELECT c.iso_week AS week, a.person,
             MAX(a.source = 'access') AS old_ent, MAX(a.source = 'events') AS new_ent
      FROM activity a JOIN calendar c ON c.day = a.day JOIN sp ON sp.person = a.person, b
      WHERE a.feature = '*' AND a.source != '*' AND a.day BETWEEN b.d0 AND b.d1
      GROUP BY c.iso_week, a.person)
SELECT week AS semaine,
       (SELECT MIN(date) FROM calendar WHERE iso_week = week) AS lundi,
       SUM(old_ent) AS utilisateurs_ancien_ent,
       SUM(new_ent) AS utilisateurs_nouvel_ent,
       SUM(old_ent AND new_ent) AS utilisateurs_les_deux,
       CASE WHEN SUM(old_ent) > 0 THEN 1.0 * SUM(old_ent AND new_ent) / SUM(old_ent) END AS part_ancien_aussi_nouvel
FROM w GROUP BY week ORDER BY week;
