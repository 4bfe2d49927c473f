-- titre: Adoption par école
-- question: Dans chaque école, quelle part des comptes est activée et utilisée, et combien de parents sont actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par école ayant des comptes ou des utilisateurs actifs (uai ; nom, niveau et commune de schools.csv).
-- identique à: entstat export --period all --by school (et --by school,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- r : par école, les utilisateurs actifs (chaque personne une fois), dont inscrits à l'annuaire, et
-- les parents actifs, comptés par entstat dans activite_periode_lieu (voir Queries/README.md).
r AS (SELECT t.place AS uai, t.users AS u, t.listed_users AS ul, COALESCE(p.users, 0) AS pu
      FROM activite_periode_lieu t
           LEFT JOIN activite_periode_lieu p ON p.kind = t.kind AND p.place = t.place AND p.role = 'parent'
      WHERE t.kind = 'school' AND t.role = '*' AND t.place != ''),
-- c1 : une ligne par compte du périmètre ayant une école ; n = son nombre de lignes (avec une école)
-- dans account_place. Avec n = 1, cette ligne donne son école ; sinon le compte (plusieurs écoles)
-- passe par cm. activated = 1 s'il est activé au :to.
c1 AS (SELECT account, uai, CASE WHEN activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END AS activated, COUNT(*) AS n
       FROM account_place
       WHERE uai != '' AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY account),
-- cm : les comptes à plusieurs lignes, une ligne par (école, compte).
cm AS (SELECT ap.uai, ap.account, MAX(CASE WHEN ap.activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END) AS activated
       FROM c1 JOIN account_place ap ON ap.account = c1.account
       WHERE c1.n > 1 AND ap.uai != '' AND (:commune = '' OR ap.code_commune = :commune) AND (:epci = '' OR ap.epci = :epci)
       GROUP BY ap.uai, ap.account),
c AS (SELECT uai, SUM(k) AS n, SUM(activated * k) AS na
      FROM (SELECT uai, activated, COUNT(*) AS k FROM c1 WHERE n = 1 GROUP BY uai, activated
            UNION ALL
            SELECT uai, activated, 1 FROM cm)
      GROUP BY uai),
k AS (SELECT uai FROM r UNION SELECT uai FROM c)
SELECT k.uai AS uai, COALESCE(s.name, '') AS ecole, COALESCE(s.level, '') AS niveau,
       COALESCE(cm.name, s.code_commune, '') AS commune,
       COALESCE(s.code_commune, '') AS code_commune,
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
