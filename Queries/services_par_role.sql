-- titre: Services utilisés, par rôle
-- question: Quels services (messagerie, cahier de liaison, cantine…) chaque rôle utilise-t-il, et par quelle part de ses utilisateurs actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, service) ; role = '*' pour l'ensemble des rôles. Une connexion qui touche
--         plusieurs services compte une fois dans chacun. taux_penetration = utilisateurs du service /
--         utilisateurs actifs du même rôle (utilisateurs_actifs_role).
-- identique à: entstat export --period all --by role,feature (et --by feature pour role = '*')
-- activite_periode_role : les utilisateurs du :from au :to par (rôle, source, service), comptés
-- par entstat (voir Queries/README.md) ; role = '*' : chaque personne une fois.
-- f : une ligne par (rôle, service) ; t : les utilisateurs actifs de chaque rôle (tous services).
WITH f AS (SELECT role, feature, users AS u, visits AS v, requests AS q
           FROM activite_periode_role WHERE source = '*' AND feature != '*'),
t AS (SELECT role, users AS u FROM activite_periode_role WHERE source = '*' AND feature = '*')
SELECT f.role AS role, f.feature AS service,
       f.u AS utilisateurs, f.v AS connexions, f.q AS requetes,
       t.u AS utilisateurs_actifs_role,
       CASE WHEN t.u > 0 THEN 1.0 * f.u / t.u END AS taux_penetration
FROM f JOIN t ON t.role = f.role
ORDER BY CASE f.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, f.role, f.u DESC, f.feature;
