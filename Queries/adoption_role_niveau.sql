-- titre: Adoption par rôle et niveau d'école
-- question: Pour chaque rôle et niveau (maternelle, élémentaire, primaire), combien de comptes, activés, et quel taux d'actifs sur la période ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, niveau) ; niveau = '*' pour le total du rôle (un utilisateur de deux niveaux compte une fois).
--         niveau = '' : sans école (agents communaux, utilisateurs inconnus).
-- identique à: entstat export --period all --by role,level (et --by role pour les totaux)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role, level FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
sa AS (SELECT DISTINCT account, role, level, activated_day FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT DISTINCT sp.role, sp.level, a.person, p.account IS NOT NULL AS listed
        FROM activite_periode a JOIN sp ON sp.person = a.person JOIN person p ON p.id = a.person
        WHERE a.source = '*' AND a.feature = '*'),
r AS (SELECT role, level, COUNT(DISTINCT person) AS u, COUNT(DISTINCT CASE WHEN listed THEN person END) AS ul
      FROM act GROUP BY role, level
      UNION ALL
      SELECT role, '*', COUNT(DISTINCT person), COUNT(DISTINCT CASE WHEN listed THEN person END) FROM act GROUP BY role),
c AS (SELECT role, level, COUNT(DISTINCT account) AS n,
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END) AS na
      FROM sa GROUP BY role, level
      UNION ALL
      SELECT role, '*', COUNT(DISTINCT account),
             COUNT(DISTINCT CASE WHEN activated_day <= (SELECT d1 FROM b) THEN account END) FROM sa GROUP BY role),
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
