-- titre: Adoption par EPCI
-- question: Dans chaque intercommunalité, quelle part des comptes est activée, quelle part est active, et combien de parents sont touchés ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par EPCI ('' = sans EPCI connu), plus epci = '*' pour l'ensemble (un utilisateur de deux EPCI compte une fois).
-- identique à: entstat export --period all --by epci (et --by epci,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- p1 : une ligne par personne du périmètre ; n = son nombre de lignes dans person_place. Avec
-- n = 1, cette ligne donne son EPCI (g) et parent (1 si parent) ; sinon g et parent ne
-- servent pas : la personne (plusieurs écoles, communes, EPCI ou rôles) passe par pm.
p1 AS (SELECT person, epci AS g, role = 'parent' AS parent, COUNT(*) AS n FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY person),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
-- x1 : les personnes actives à une ligne, comptées par (EPCI, parent, listed) ; listed : dans
-- l'annuaire. Chacune compte une fois dans son EPCI et une fois dans '*'.
x1 AS (SELECT p1.g, p1.parent, p.account IS NOT NULL AS listed, COUNT(*) AS k
       FROM p1 JOIN activite_periode a ON a.person = p1.person AND a.source = '*' AND a.feature = '*'
            JOIN person p ON p.id = p1.person
       WHERE p1.n = 1
       GROUP BY p1.g, p1.parent, listed),
-- pm : les personnes actives à plusieurs lignes, une ligne par (EPCI, personne) ; parent = 1
-- si elle est parent dans cet EPCI.
pm AS (SELECT pl.epci AS g, pl.person, MAX(pl.role = 'parent') AS parent, MAX(p.account IS NOT NULL) AS listed
       FROM p1 JOIN activite_periode a ON a.person = p1.person AND a.source = '*' AND a.feature = '*'
            JOIN person p ON p.id = p1.person
            JOIN person_place pl ON pl.person = p1.person
       WHERE p1.n > 1 AND (:commune = '' OR pl.code_commune = :commune) AND (:epci = '' OR pl.epci = :epci)
       GROUP BY pl.epci, pl.person),
-- xg : des effectifs de personnes distinctes par (EPCI, parent, listed) ; star = 1 : ils
-- comptent aussi dans '*' (g NULL : seulement dans '*'). Une personne de pm compte une fois dans
-- chacun de ses EPCI et une fois dans '*' (parent : dans l'un d'eux).
xg AS MATERIALIZED (
      SELECT g, parent, listed, 1 AS star, k FROM x1
      UNION ALL
      SELECT g, parent, listed, 0, COUNT(*) FROM pm GROUP BY g, parent, listed
      UNION ALL
      SELECT NULL, parent, listed, 1, COUNT(*)
      FROM (SELECT MAX(parent) AS parent, MAX(listed) AS listed FROM pm GROUP BY person) GROUP BY parent, listed),
r AS (SELECT g, SUM(k) AS u, SUM(listed * k) AS ul, SUM(parent * k) AS pu, SUM((parent AND listed) * k) AS pul
      FROM xg WHERE g IS NOT NULL GROUP BY g
      UNION ALL
      SELECT '*', COALESCE(SUM(k), 0), COALESCE(SUM(listed * k), 0), COALESCE(SUM(parent * k), 0),
             COALESCE(SUM((parent AND listed) * k), 0) FROM xg WHERE star = 1),
-- c1 : une ligne par compte du périmètre, comme p1 ; activated = 1 s'il est activé au :to.
c1 AS (SELECT account, epci AS g, CASE WHEN activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END AS activated,
              role = 'parent' AS parent, COUNT(*) AS n
       FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY account),
-- cm : les comptes à plusieurs lignes, une ligne par (EPCI, compte), comme pm.
cm AS (SELECT ap.epci AS g, ap.account,
              MAX(CASE WHEN ap.activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END) AS activated,
              MAX(ap.role = 'parent') AS parent
       FROM c1 JOIN account_place ap ON ap.account = c1.account
       WHERE c1.n > 1 AND (:commune = '' OR ap.code_commune = :commune) AND (:epci = '' OR ap.epci = :epci)
       GROUP BY ap.epci, ap.account),
-- cg : des effectifs de comptes distincts par (EPCI, activated, parent), comme xg.
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
SELECT k.g AS epci,
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
ORDER BY k.g = '*', k.g;
