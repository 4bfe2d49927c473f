-- titre: Adoption par école
-- question: Dans chaque école, quelle part des comptes est activée et utilisée, et combien de parents sont actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par école ayant des comptes ou des utilisateurs actifs (uai ; nom et niveau de schools.csv).
-- identique à: entstat export --period all --by school (et --by school,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role, uai FROM person_place
       WHERE uai != '' AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
sa AS (SELECT DISTINCT account, role, uai, activated_day FROM account_place
       WHERE uai != '' AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT DISTINCT sp.uai, sp.role, a.person, p.account IS NOT NULL AS listed
        FROM activite_periode a JOIN sp ON sp.person = a.person JOIN person p ON p.id = a.person
        WHERE a.source = '*' AND a.feature = '*'),
r AS (SELECT uai, COUNT(DISTINCT person) AS u, COUNT(DISTINCT CASE WHEN listed THEN person END) AS ul,
             COUNT(DISTINCT CASE WHEN role = 'parent' THEN person END) AS pu
      FROM act GROUP BY uai),
c AS (SELECT uai, COUNT(DISTINCT account) AS n,
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END) AS na
      FROM sa GROUP BY uai),
k AS (SELECT uai FROM r UNION SELECT uai FROM c)
SELECT k.uai AS uai, COALESCE(s.name, '') AS ecole, COALESCE(s.level, '') AS niveau,
       COALESCE(cm.name, s.code_commune, '') AS commune,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       COALESCE(r.u, 0) AS utilisateurs_actifs,
       COALESCE(r.ul, 0) AS utilisateurs_actifs_inscrits,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(r.ul, 0) / c.n END AS taux_actifs,
       COALESCE(r.pu, 0) AS parents_actifs
FROM k LEFT JOIN r ON r.uai = k.uai LEFT JOIN c ON c.uai = k.uai
       LEFT JOIN school s ON s.uai = k.uai LEFT JOIN commune cm ON cm.code = s.code_commune
ORDER BY commune, ecole, k.uai;
