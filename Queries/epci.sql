-- titre: Adoption par EPCI
-- question: Dans chaque intercommunalité, quelle part des comptes est activée, quelle part est active, et combien de parents sont touchés ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par EPCI ('' = sans EPCI connu), plus epci = '*' pour l'ensemble (un utilisateur de deux EPCI compte une fois).
-- identique à: entstat export --period all --by epci (et --by epci,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role, epci FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
sa AS (SELECT DISTINCT account, role, epci, activated_day FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT DISTINCT sp.epci, sp.role, a.person, p.account IS NOT NULL AS listed
        FROM activite_periode a JOIN sp ON sp.person = a.person JOIN person p ON p.id = a.person
        WHERE a.source = '*' AND a.feature = '*'),
r AS (SELECT epci AS g, COUNT(DISTINCT person) AS u, COUNT(DISTINCT CASE WHEN listed THEN person END) AS ul,
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN person END) AS pu,
             COUNT(DISTINCT CASE WHEN role = 'parent' AND listed THEN person END) AS pul
      FROM act GROUP BY epci
      UNION ALL
      SELECT '*', COUNT(DISTINCT person), COUNT(DISTINCT CASE WHEN listed THEN person END),
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN person END),
             COUNT(DISTINCT CASE WHEN role = 'parent' AND listed THEN person END) FROM act),
c AS (SELECT epci AS g, COUNT(DISTINCT account) AS n,
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END) AS na,
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN account END) AS pn
      FROM sa GROUP BY epci
      UNION ALL
      SELECT '*', COUNT(DISTINCT account),
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END),
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN account END) FROM sa),
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
