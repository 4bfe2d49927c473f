-- titre: Tendance mensuelle par rôle
-- question: Mois par mois, combien d'utilisateurs actifs, quel taux d'activation et quel taux d'actifs pour chaque rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (mois, rôle) pour chaque mois qui contient au moins un enregistrement retenu ; role = '*' pour l'ensemble.
--         Les comptes activés sont comptés au dernier jour du mois (borné à :to).
-- identique à: entstat export --period month --by role (et sans --by pour role = '*')
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
sa AS (SELECT DISTINCT account, role, activated_day FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
m AS (SELECT c.month AS month, MIN(MAX(c.day), (SELECT d1 FROM b)) AS last_day FROM calendar c
      WHERE c.month IN (SELECT DISTINCT c2.month FROM activity a JOIN calendar c2 ON c2.day = a.day, b
                        WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN b.d0 AND b.d1)
      GROUP BY c.month),
act AS (SELECT c.month, sp.role, a.person, a.visits, p.account IS NOT NULL AS listed
        FROM activity a JOIN calendar c ON c.day = a.day JOIN sp ON sp.person = a.person
             JOIN person p ON p.id = a.person, b
        WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN b.d0 AND b.d1),
r AS (SELECT month, role, COUNT(DISTINCT person) AS u, COUNT(DISTINCT CASE WHEN listed THEN person END) AS ul,
             SUM(visits) AS v FROM act GROUP BY month, role
      UNION ALL
      SELECT month, '*', COUNT(DISTINCT person), COUNT(DISTINCT CASE WHEN listed THEN person END), SUM(visits)
      FROM act GROUP BY month),
c AS (SELECT m.month, sa.role, COUNT(DISTINCT sa.account) AS n,
             COUNT(DISTINCT CASE WHEN sa.activated_day <= m.last_day THEN sa.account END) AS na
      FROM m, sa GROUP BY m.month, sa.role
      UNION ALL
      SELECT m.month, '*', COUNT(DISTINCT sa.account),
             COUNT(DISTINCT CASE WHEN sa.activated_day <= m.last_day THEN sa.account END)
      FROM m, sa GROUP BY m.month),
k AS (SELECT month, role FROM r UNION SELECT month, role FROM c)
SELECT k.month AS mois, k.role AS role,
       COALESCE(r.u, 0) AS utilisateurs_actifs,
       COALESCE(r.ul, 0) AS utilisateurs_actifs_inscrits,
       COALESCE(r.v, 0) AS connexions,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(r.ul, 0) / c.n END AS taux_actifs
FROM k LEFT JOIN r ON r.month = k.month AND r.role = k.role
       LEFT JOIN c ON c.month = k.month AND c.role = k.role
ORDER BY k.month, CASE k.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, k.role;
