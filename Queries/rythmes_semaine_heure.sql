-- titre: Rythmes : connexions par jour de la semaine et heure
-- question: À quels jours et heures les utilisateurs se connectent-ils, rôle par rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, jour de la semaine 1 = lundi … 7 = dimanche, heure locale de début de la connexion) ;
--         role = '*' pour l'ensemble (une personne de deux rôles y compte une fois).
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
spr AS (SELECT DISTINCT person, role FROM person_place
        WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- sp : les rôles de chaque personne du périmètre ; first_role marque un seul de ses rôles
-- (le premier), pour que la ligne '*' compte ses connexions une fois.
sp AS (SELECT person, role, role = MIN(role) OVER (PARTITION BY person) AS first_role FROM spr),
-- Un seul passage sur visit_start (un seul tri) : par rôle, et, pour '*', seulement les
-- connexions comptées sous le premier rôle de la personne.
r AS MATERIALIZED (
      SELECT sp.role, c.weekday, vs.hour, SUM(vs.visits) AS n, SUM(vs.visits * sp.first_role) AS n_once
      FROM b CROSS JOIN visit_start vs JOIN calendar c ON c.day = vs.day JOIN sp ON sp.person = vs.person
      WHERE vs.day BETWEEN b.d0 AND b.d1
      GROUP BY sp.role, c.weekday, vs.hour)
SELECT role, weekday AS jour_semaine, hour AS heure, n AS connexions
FROM (SELECT role, weekday, hour, n FROM r
      UNION ALL
      SELECT '*', weekday, hour, SUM(n_once) FROM r GROUP BY weekday, hour)
ORDER BY role = '*', role, weekday, hour;
