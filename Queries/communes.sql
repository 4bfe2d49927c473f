-- titre: Adoption par commune
-- question: Dans chaque commune, quelle part des comptes est activée, quelle part est active, et combien de parents sont touchés ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par commune (code INSEE ; '' = sans commune connue), plus code_commune = '*' pour l'ensemble.
--         Les agents communaux comptent dans leur commune ; les autres dans la commune de leurs écoles.
-- identique à: entstat export --period all --by commune (et --by commune,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- r : par commune, les utilisateurs actifs (chaque personne une fois), dont inscrits à l'annuaire,
-- et les parents actifs, dont inscrits, comptés par entstat dans activite_periode_lieu (voir
-- Queries/README.md) ; '*' : tout le périmètre, chaque personne une fois (activite_periode_role).
r AS (SELECT t.place AS g, t.users AS u, t.listed_users AS ul,
             COALESCE(p.users, 0) AS pu, COALESCE(p.listed_users, 0) AS pul
      FROM activite_periode_lieu t
           LEFT JOIN activite_periode_lieu p ON p.kind = t.kind AND p.place = t.place AND p.role = 'parent'
      WHERE t.kind = 'commune' AND t.role = '*'
      UNION ALL
      SELECT '*', COALESCE(SUM(CASE WHEN role = '*' THEN users END), 0), COALESCE(SUM(CASE WHEN role = '*' THEN listed_users END), 0),
             COALESCE(SUM(CASE WHEN role = 'parent' THEN users END), 0),
             COALESCE(SUM(CASE WHEN role = 'parent' THEN listed_users END), 0)
      FROM activite_periode_role WHERE source = '*' AND feature = '*'),
-- c1 : une ligne par compte du périmètre ; n = son nombre de lignes dans account_place. Avec n = 1,
-- cette ligne donne son commune (g) et parent (1 si parent) ; sinon le compte (plusieurs écoles,
-- communes ou rôles) passe par cm. activated = 1 s'il est activé au :to.
c1 AS (SELECT account, code_commune AS g, CASE WHEN activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END AS activated,
              role = 'parent' AS parent, COUNT(*) AS n
       FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY account),
-- cm : les comptes à plusieurs lignes, une ligne par (commune, compte) ; parent = 1 s'il est parent
-- dans ce lieu.
cm AS (SELECT ap.code_commune AS g, ap.account,
              MAX(CASE WHEN ap.activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END) AS activated,
              MAX(ap.role = 'parent') AS parent
       FROM c1 JOIN account_place ap ON ap.account = c1.account
       WHERE c1.n > 1 AND (:commune = '' OR ap.code_commune = :commune) AND (:epci = '' OR ap.epci = :epci)
       GROUP BY ap.code_commune, ap.account),
-- cg : des effectifs de comptes distincts par (commune, activated, parent) ; star = 1 : ils comptent
-- aussi dans '*' (g NULL : seulement dans '*'). Un compte de cm compte une fois dans chacun de ses
-- lieux et une fois dans '*' (parent : dans l'un d'eux).
cg AS MATERIALIZED (
      SELECT g, activated, parent, 1 AS star, COUNT(*) AS k FROM c1 WHERE n = 1 GROUP BY g, activated, parent
      UNION ALL
      SELECT g, activated, parent, 0, COUNT(*) FROM cm GROUP BY g, activated, parent
      UNION ALL
      SELECT NULL, activated, parent, 1, COUNT(*)
      FROM (SELECT MAX(activated) AS activated, MAX(parent) AS parent FROM cm GROUP BY account) GROUP BY activated, parent),
c AS (SELECT g, SUM(k) AS n, SUM(activated * k) AS na, SUM(parent * k) AS pn
      FROM cg WHERE g IS NOT NULL GROUP BY g
      UNION ALL
      SELECT '*', COALESCE(SUM(k), 0), COALESCE(SUM(activated * k), 0), COALESCE(SUM(parent * k), 0)
      FROM cg WHERE star = 1),
k AS (SELECT g FROM r WHERE u > 0 UNION SELECT g FROM c WHERE n > 0)
SELECT k.g AS code_commune,
       COALESCE(cm.name, '') AS commune,
       COALESCE(ce.epci, cm.epci, '') AS epci,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       COALESCE(r.u, 0) AS utilisateurs_actifs,
       COALESCE(r.ul, 0) AS utilisateurs_actifs_inscrits,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(r.ul, 0) / c.n END AS taux_actifs,
       COALESCE(c.pn, 0) AS comptes_parents,
       COALESCE(r.pu, 0) AS parents_actifs,
       COALESCE(r.pul, 0) AS parents_actifs_inscrits,
       CASE WHEN c.pn > 0 THEN 1.0 * COALESCE(r.pul, 0) / c.pn END AS taux_parents_actifs
FROM k LEFT JOIN r ON r.g = k.g LEFT JOIN c ON c.g = k.g
       LEFT JOIN commune cm ON cm.code = k.g LEFT JOIN commune_epci ce ON ce.code_commune = k.g
ORDER BY k.g = '*', commune, k.g;
