-- titre: Activité jour par jour
-- question: Combien d'utilisateurs actifs et de connexions chaque jour ? Les mercredis et les vacances scolaires se voient en creux.
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par jour de la période (0 les jours sans activité).
-- identique à: entstat export --period day
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
d AS (SELECT a.day, COUNT(DISTINCT a.person) AS u, SUM(a.visits) AS v
      FROM b CROSS JOIN activity a
      WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN b.d0 AND b.d1
        AND a.person IN (SELECT person FROM sp)
      GROUP BY a.day)
SELECT c.date AS jour, c.weekday AS jour_semaine,
       COALESCE(d.u, 0) AS utilisateurs_actifs, COALESCE(d.v, 0) AS connexions
FROM calendar c JOIN b ON c.day BETWEEN b.d0 AND b.d1 LEFT JOIN d ON d.day = c.day
ORDER BY c.day;
