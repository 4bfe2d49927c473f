-- titre: Synthèse par rôle
-- question: Sur la période, combien d'utilisateurs actifs, de connexions et de comptes activés par rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout le territoire) ; :epci (nom, '' = tous)
-- lignes: une par rôle, plus role = '*' pour l'ensemble (un utilisateur compte une fois).
-- identique à: entstat export --period all --by role --from … --to …
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- r : les utilisateurs actifs du :from au :to par rôle, et role = '*' (chaque personne une fois),
-- comptés par entstat dans activite_periode_role (voir Queries/README.md) ; listed_users : ceux
-- de l'annuaire.
r AS (SELECT role, users AS u, listed_users AS ul, visits AS v, logins AS l, requests AS q
      FROM activite_periode_role WHERE source = '*' AND feature = '*'),
-- c : les comptes par rôle et '*' (chaque compte une fois), et ceux activés au :to, comptés par
-- entstat dans comptes_niveau par jour d'activation (voir Queries/README.md).
c AS (SELECT role, SUM(accounts) AS n, COALESCE(SUM(CASE WHEN activated_day <= (SELECT d1 FROM b) THEN accounts END), 0) AS na
      FROM comptes_niveau WHERE level = '*' GROUP BY role),
k AS (SELECT role FROM r WHERE u > 0 UNION SELECT '*' UNION SELECT role FROM c WHERE n > 0)
SELECT k.role AS role,
       COALESCE(r.u, 0) AS utilisateurs_actifs,
       COALESCE(r.ul, 0) AS utilisateurs_actifs_inscrits,
       COALESCE(r.v, 0) AS connexions,
       COALESCE(r.l, 0) AS authentifications,
       COALESCE(r.q, 0) AS requetes,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(r.ul, 0) / c.n END AS taux_actifs
FROM k LEFT JOIN r ON r.role = k.role LEFT JOIN c ON c.role = k.role
ORDER BY CASE k.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, k.role;
