-- titre: Services utilisés, par rôle
-- question: Quels services (messagerie, cahier de liaison, cantine…) chaque rôle utilise-t-il, et par quelle part de ses utilisateurs actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, service) ; role = '*' pour l'ensemble des rôles. Une connexion qui touche
--         plusieurs services compte une fois dans chacun. taux_penetration = utilisateurs du service /
--         utilisateurs actifs du même rôle (utilisateurs_actifs_role).
-- identique à: entstat export --period all --by role,feature (et --by feature pour role = '*')
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT sp.role, a.feature, a.person, a.visits, a.requests
        FROM activite_periode a JOIN sp ON sp.person = a.person
        WHERE a.source = '*'),
f AS (SELECT role, feature, COUNT(DISTINCT person) AS u, SUM(visits) AS v, SUM(requests) AS q
      FROM act WHERE feature != '*' GROUP BY role, feature
      UNION ALL
      SELECT '*', feature, COUNT(DISTINCT person), SUM(visits), SUM(requests)
      FROM act WHERE feature != '*' GROUP BY feature),
t AS (SELECT role, COUNT(DISTINCT person) AS u FROM act WHERE feature = '*' GROUP BY role
      UNION ALL
      SELECT '*', COUNT(DISTINCT person) FROM act WHERE feature = '*')
SELECT f.role AS role, f.feature AS service,
       f.u AS utilisateurs, f.v AS connexions, f.q AS requetes,
       t.u AS utilisateurs_actifs_role,
       CASE WHEN t.u > 0 THEN 1.0 * f.u / t.u END AS taux_penetration
FROM f JOIN t ON t.role = f.role
ORDER BY CASE f.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, f.role, f.u DESC, f.feature;
