-- titre: Adoption par école
-- question: Dans chaque école, quelle part des comptes est activée et utilisée, et combien de parents sont actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par école ayant des comptes ou des utilisateurs actifs (uai ; nom, niveau et commune de schools.csv).
-- identique à: entstat export --period all --by school (et --by school,role pour les parents)
-- k : les écoles ayant des utilisateurs actifs du :from au :to (activite_periode_lieu) ou des
-- comptes (comptes_lieu), tables comptées par entstat (voir Queries/README.md) ; chacune y est lue
-- par sa clé (kind, place, role) : t, les utilisateurs actifs (chaque personne une fois) dont
-- inscrits à l'annuaire ; p, les parents actifs ; c, les comptes (chaque compte une fois, quel que
-- soit son nombre d'écoles) et ceux activés au :to.
WITH k AS (SELECT place AS uai FROM activite_periode_lieu WHERE kind = 'school' AND role = '*' AND place != ''
           UNION
           SELECT place FROM comptes_lieu WHERE kind = 'school' AND role = '*' AND place != '')
SELECT k.uai AS uai, COALESCE(s.name, '') AS ecole, COALESCE(s.level, '') AS niveau,
       COALESCE(cm.name, s.code_commune, '') AS commune,
       COALESCE(s.code_commune, '') AS code_commune,
       COALESCE(c.accounts, 0) AS comptes,
       COALESCE(c.activated, 0) AS comptes_actives,
       CASE WHEN c.accounts > 0 THEN 1.0 * c.activated / c.accounts END AS taux_activation,
       COALESCE(t.users, 0) AS utilisateurs_actifs,
       COALESCE(t.listed_users, 0) AS utilisateurs_actifs_inscrits,
       CASE WHEN c.accounts > 0 THEN 1.0 * COALESCE(t.listed_users, 0) / c.accounts END AS taux_actifs,
       COALESCE(p.users, 0) AS parents_actifs
FROM k
     LEFT JOIN activite_periode_lieu t ON t.kind = 'school' AND t.place = k.uai AND t.role = '*'
     LEFT JOIN activite_periode_lieu p ON p.kind = 'school' AND p.place = k.uai AND p.role = 'parent'
     LEFT JOIN comptes_lieu c ON c.kind = 'school' AND c.place = k.uai AND c.role = '*'
     LEFT JOIN school s ON s.uai = k.uai LEFT JOIN commune cm ON cm.code = s.code_commune
ORDER BY commune COLLATE french, ecole COLLATE french, k.uai;
