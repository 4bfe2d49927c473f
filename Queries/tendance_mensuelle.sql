-- titre: Tendance mensuelle par rôle
-- question: Mois par mois, combien d'utilisateurs actifs, quel taux d'activation et quel taux d'actifs pour chaque rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (mois, rôle) pour chaque mois qui contient au moins un enregistrement retenu ; role = '*' pour l'ensemble.
--         Les comptes activés sont comptés au dernier jour du mois (borné à :to).
-- identique à: entstat export --period month --by role (et sans --by pour role = '*')
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- m : les mois ayant de l'activité du :from au :to (de qui que ce soit, périmètre ou non), et leur
-- dernier jour (borné à :to).
m AS (SELECT c.month AS month, MIN(MAX(c.day), (SELECT d1 FROM b)) AS last_day FROM calendar c
      WHERE c.month IN (SELECT c2.month FROM b CROSS JOIN calendar c2
                        WHERE c2.day BETWEEN b.d0 AND b.d1
                          AND EXISTS (SELECT 1 FROM person_day_activity a WHERE a.day = c2.day))
      GROUP BY c.month),
-- ad : comptes du périmètre par (rôle, jour d'activation), et role = '*' (chaque compte une fois),
-- comptés par entstat dans comptes_niveau (voir Queries/README.md) ; les comptes activés d'un mois
-- se cumulent depuis ad au lieu de croiser chaque mois avec chaque compte.
ad AS (SELECT role, activated_day, accounts AS k FROM comptes_niveau WHERE level = '*'),
c AS (SELECT m.month, ad.role, SUM(ad.k) AS n, SUM(CASE WHEN ad.activated_day <= m.last_day THEN ad.k ELSE 0 END) AS na
      FROM m, ad GROUP BY m.month, ad.role),
-- rr : les utilisateurs actifs par (mois, rôle), et role = '*' (chaque personne une fois), comptés
-- par entstat dans activite_mensuelle_role (voir Queries/README.md) : un mois coupé par :from ou
-- :to n'y compte que ses jours de la période.
rr AS (SELECT mois AS month, role, users AS u, listed_users AS ul, visits AS v FROM activite_mensuelle_role),
k AS (SELECT month, role FROM rr UNION SELECT month, role FROM c)
SELECT k.month AS mois, k.role AS role,
       COALESCE(rr.u, 0) AS utilisateurs_actifs,
       COALESCE(rr.ul, 0) AS utilisateurs_actifs_inscrits,
       COALESCE(rr.v, 0) AS connexions,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(rr.ul, 0) / c.n END AS taux_actifs
FROM k LEFT JOIN rr ON rr.month = k.month AND rr.role = k.role
       LEFT JOIN c ON c.month = k.month AND c.role = k.role
ORDER BY k.month, CASE k.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, k.role;
