-- titre: Adoption par commune
-- question: Dans chaque commune, quelle part des comptes est activée, quelle part est active, et combien de parents sont touchés ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par commune (code INSEE ; '' = sans commune connue), plus code_commune = '*' pour l'ensemble.
--         Les agents communaux comptent dans leur commune ; les autres dans la commune de leurs écoles.
-- identique à: entstat export --period all --by commune (et --by commune,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role, code_commune FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
sa AS (SELECT DISTINCT account, role, code_commune, activated_day FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT DISTINCT sp.code_commune, sp.role, a.person, p.account IS NOT NULL AS listed
        FROM activite_periode a JOIN sp ON sp.person = a.person JOIN person p ON p.id = a.person
        WHERE a.source = '*' AND a.feature = '*'),
r AS (SELECT code_commune AS g, COUNT(DISTINCT person) AS u, COUNT(DISTINCT CASE WHEN listed THEN person END) AS ul,
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN person END) AS pu,
             COUNT(DISTINCT CASE WHEN role = 'parent' AND listed THEN person END) AS pul
      FROM act GROUP BY code_commune
      UNION ALL
      SELECT '*', COUNT(DISTINCT person), COUNT(DISTINCT CASE WHEN listed THEN person END),
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN person END),
             COUNT(DISTINCT CASE WHEN role = 'parent' AND listed THEN person END) FROM act),
c AS (SELECT code_commune AS g, COUNT(DISTINCT account) AS n,
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END) AS na,
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN account END) AS pn
      FROM sa GROUP BY code_commune
      UNION ALL
      SELECT '*', COUNT(DISTINCT account),
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END),
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN account END) FROM sa),
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
