-- titre: Volumes par rôle (dimensionnement)
-- question: Quelle charge chaque rôle représente-t-il : requêtes, connexions, authentifications, en moyenne et au plus fort jour ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par rôle actif, plus role = '*' pour l'ensemble.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
act AS (SELECT sp.role, a.day, a.person, a.visits, a.logins, a.requests
        FROM b CROSS JOIN activity a JOIN sp ON sp.person = a.person
        WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN b.d0 AND b.d1),
d AS (SELECT role, day, COUNT(DISTINCT person) AS u, SUM(visits) AS v, SUM(logins) AS l, SUM(requests) AS q
      FROM act GROUP BY role, day
      UNION ALL
      SELECT '*', day, COUNT(DISTINCT person), SUM(visits), SUM(logins), SUM(requests) FROM act GROUP BY day),
n AS (SELECT COUNT(DISTINCT day) AS days FROM act)
SELECT role,
       SUM(v) AS connexions, SUM(l) AS authentifications, SUM(q) AS requetes,
       1.0 * SUM(v) / (SELECT days FROM n) AS connexions_par_jour_actif,
       1.0 * SUM(q) / (SELECT days FROM n) AS requetes_par_jour_actif,
       MAX(u) AS utilisateurs_jour_max,
       MAX(v) AS connexions_jour_max,
       MAX(q) AS requetes_jour_max
FROM d GROUP BY role ORDER BY role = '*', requetes DESC;
