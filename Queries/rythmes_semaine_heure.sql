-- titre: Rythmes : connexions par jour de la semaine et heure
-- question: À quels jours et heures les utilisateurs se connectent-ils, rôle par rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, jour de la semaine 1 = lundi … 7 = dimanche, heure locale de début de la connexion) ;
--         role = '*' pour l'ensemble. jours = nombre de ces jours de la semaine dans la période.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
v AS (SELECT sp.role, c.weekday, vs.hour, vs.visits
      FROM b CROSS JOIN visit_start vs JOIN calendar c ON c.day = vs.day JOIN sp ON sp.person = vs.person
      WHERE vs.day BETWEEN b.d0 AND b.d1),
r AS (SELECT role, weekday, hour, SUM(visits) AS n FROM v GROUP BY role, weekday, hour
      UNION ALL
      SELECT '*', weekday, hour, SUM(visits) FROM v GROUP BY weekday, hour)
SELECT role, weekday AS jour_semaine, hour AS heure, n AS connexions
FROM r ORDER BY role = '*', role, weekday, hour;
