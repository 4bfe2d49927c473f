-- titre: Adoption par rôle et niveau d'école
-- question: Pour chaque rôle et niveau (maternelle, élémentaire, primaire), combien de comptes, activés, et quel taux d'actifs sur la période ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, niveau) ; niveau = '*' pour le total du rôle (un utilisateur de deux niveaux compte une fois).
--         niveau = '' : sans école (agents communaux, utilisateurs inconnus).
-- identique à: entstat export --period all --by role,level (et --by role pour les totaux)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- r : les utilisateurs actifs du :from au :to par (rôle, niveau), et niveau = '*' pour le total du
-- rôle, comptés par entstat (activite_periode_niveau, activite_periode_role : voir Queries/README.md).
-- Une personne de deux niveaux compte dans chacun, et une fois dans le total de son rôle.
r AS (SELECT role, level, users AS u, listed_users AS ul FROM activite_periode_niveau
      UNION ALL
      SELECT role, '*', users, listed_users FROM activite_periode_role
      WHERE role != '*' AND source = '*' AND feature = '*'),
-- c : les comptes par (rôle, niveau) (un compte de deux niveaux compte dans chacun) et niveau = '*'
-- (chaque compte une fois dans le total de son rôle), et ceux activés au :to, comptés par entstat
-- dans comptes_niveau par jour d'activation (voir Queries/README.md).
c AS (SELECT role, level, SUM(accounts) AS n,
             COALESCE(SUM(CASE WHEN activated_day <= (SELECT d1 FROM b) THEN accounts END), 0) AS na
      FROM comptes_niveau WHERE role != '*' GROUP BY role, level),
k AS (SELECT role, level FROM r UNION SELECT role, level FROM c)
SELECT k.role AS role, k.level AS niveau,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       COALESCE(r.u, 0) AS utilisateurs_actifs,
       COALESCE(r.ul, 0) AS utilisateurs_actifs_inscrits,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(r.ul, 0) / c.n END AS taux_actifs
FROM k LEFT JOIN r ON r.role = k.role AND r.level = k.level
       LEFT JOIN c ON c.role = k.role AND c.level = k.level
ORDER BY CASE k.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, k.role, k.level = '*', k.level;
