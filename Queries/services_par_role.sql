-- titre: Services utilisés, par rôle
-- question: Quels services (messagerie, cahier de liaison, cantine…) chaque rôle utilise-t-il, et par quelle part de ses utilisateurs actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, service) ; role = '*' pour l'ensemble des rôles. Une connexion qui touche
--         plusieurs services compte une fois dans chacun. taux_penetration = utilisateurs du service /
--         utilisateurs actifs du même rôle (utilisateurs_actifs_role).
-- identique à: entstat export --period all --by role,feature (et --by feature pour role = '*')
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
spr AS (SELECT DISTINCT person, role FROM person_place
        WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- sp : les rôles de chaque personne du périmètre ; first_role (0 ou 1) marque un seul de ses
-- rôles, pour que les totaux '*' la comptent une fois.
sp AS (SELECT person, role, role = MIN(role) OVER (PARTITION BY person) AS first_role FROM spr),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md),
-- une ligne par (personne, service) ; feature = '*' : ses utilisateurs actifs.
-- r : un seul regroupement par (rôle, service) ; COUNT(*) compte des personnes distinctes (une
-- ligne par personne et service, une par personne et rôle) ; suffixe 1 : sous le premier rôle, pour '*'.
r AS MATERIALIZED (
      SELECT sp.role, a.feature, COUNT(*) AS u, SUM(a.visits) AS v, SUM(a.requests) AS q,
             SUM(sp.first_role) AS u1, SUM(sp.first_role * a.visits) AS v1, SUM(sp.first_role * a.requests) AS q1
      FROM activite_periode a JOIN sp ON sp.person = a.person
      WHERE a.source = '*'
      GROUP BY sp.role, a.feature),
f AS (SELECT role, feature, u, v, q FROM r WHERE feature != '*'
      UNION ALL
      SELECT '*', feature, SUM(u1), SUM(v1), SUM(q1) FROM r WHERE feature != '*' GROUP BY feature),
t AS (SELECT role, u FROM r WHERE feature = '*'
      UNION ALL
      SELECT '*', SUM(u1) FROM r WHERE feature = '*')
SELECT f.role AS role, f.feature AS service,
       f.u AS utilisateurs, f.v AS connexions, f.q AS requetes,
       t.u AS utilisateurs_actifs_role,
       CASE WHEN t.u > 0 THEN 1.0 * f.u / t.u END AS taux_penetration
FROM f JOIN t ON t.role = f.role
ORDER BY CASE f.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, f.role, f.u DESC, f.feature;
