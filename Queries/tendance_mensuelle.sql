-- titre: Tendance mensuelle par rôle
-- question: Mois par mois, combien d'utilisateurs actifs, quel taux d'activation et quel taux d'actifs pour chaque rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (mois, rôle) pour chaque mois qui contient au moins un enregistrement retenu ; role = '*' pour l'ensemble.
--         Les comptes activés sont comptés au dernier jour du mois (borné à :to).
-- identique à: entstat export --period month --by role (et sans --by pour role = '*')
-- b : la période [d0, d1] ; [m0, m1] : ses mois entier(e)s (m0 = d1 + 1 s'il n'y en a pas).
WITH b AS (SELECT d0, d1,
                  COALESCE((SELECT MIN(first_day) FROM period WHERE kind = 'month' AND first_day >= d0 AND last_day <= d1), d1 + 1) AS m0,
                  COALESCE((SELECT MAX(last_day) FROM period WHERE kind = 'month' AND first_day >= d0 AND last_day <= d1), d1) AS m1
           FROM (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                        (SELECT day FROM calendar WHERE date = :to) AS d1)),
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
sa AS (SELECT DISTINCT account, role, activated_day FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- L'activité de chaque personne, mois par mois : un mois entier de la période se lit dans
-- activity_period (une ligne par personne et par mois) ; un mois coupé par :from ou :to se lit
-- jour par jour dans activity.
pm AS (SELECT p.label AS month, ap.person, ap.visits
       FROM b CROSS JOIN period p JOIN activity_period ap ON ap.kind = p.kind AND ap.first_day = p.first_day
       WHERE p.kind = 'month' AND p.first_day BETWEEN b.m0 AND b.m1
         AND ap.source = '*' AND ap.feature = '*'
       UNION ALL
       SELECT c.month, a.person, a.visits
       FROM b CROSS JOIN activity a JOIN calendar c ON c.day = a.day
       WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN b.d0 AND b.m0 - 1
       UNION ALL
       SELECT c.month, a.person, a.visits
       FROM b CROSS JOIN activity a JOIN calendar c ON c.day = a.day
       WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN b.m1 + 1 AND b.d1),
m AS (SELECT c.month AS month, MIN(MAX(c.day), (SELECT d1 FROM b)) AS last_day FROM calendar c
      WHERE c.month IN (SELECT DISTINCT month FROM pm)
      GROUP BY c.month),
act AS (SELECT pm.month, sp.role, pm.person, pm.visits, p.account IS NOT NULL AS listed
        FROM pm JOIN sp ON sp.person = pm.person JOIN person p ON p.id = pm.person),
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
