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
-- c1 : une ligne par compte du périmètre ; n = son nombre de lignes dans account_place. Avec n = 1,
-- cette ligne donne son rôle et son niveau ; sinon le compte (plusieurs écoles, niveaux ou rôles)
-- passe par cm. activated = 1 s'il est activé au :to.
c1 AS (SELECT account, role, level, CASE WHEN activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END AS activated,
              COUNT(*) AS n
       FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY account),
-- cm : les comptes à plusieurs lignes, une ligne par (rôle, niveau, compte).
cm AS (SELECT ap.role, ap.level, ap.account,
              MAX(CASE WHEN ap.activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END) AS activated
       FROM c1 JOIN account_place ap ON ap.account = c1.account
       WHERE c1.n > 1 AND (:commune = '' OR ap.code_commune = :commune) AND (:epci = '' OR ap.epci = :epci)
       GROUP BY ap.role, ap.level, ap.account),
-- cg : des effectifs de comptes distincts par (rôle, niveau, activated) ; star = 1 : ils comptent
-- aussi dans le total du rôle (level NULL : seulement dans ce total). Un compte de cm compte une
-- fois dans chacun de ses niveaux et une fois dans le total de chacun de ses rôles.
cg AS MATERIALIZED (
      SELECT role, level, activated, 1 AS star, COUNT(*) AS k FROM c1 WHERE n = 1 GROUP BY role, level, activated
      UNION ALL
      SELECT role, level, activated, 0, COUNT(*) FROM cm GROUP BY role, level, activated
      UNION ALL
      SELECT role, NULL, activated, 1, COUNT(*)
      FROM (SELECT role, MAX(activated) AS activated FROM cm GROUP BY role, account) GROUP BY role, activated),
c AS (SELECT role, level, SUM(k) AS n, SUM(activated * k) AS na FROM cg WHERE level IS NOT NULL GROUP BY role, level
      UNION ALL
      SELECT role, '*', SUM(k), SUM(activated * k) FROM cg WHERE star = 1 GROUP BY role),
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
