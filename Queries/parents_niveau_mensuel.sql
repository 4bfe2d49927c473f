-- titre: Parents par niveau d'école, mois par mois
-- question: Les parents dont les comptes sont remis dès la maternelle s'engagent-ils davantage ? Taux d'activation et taux d'actifs des parents par niveau d'école et par mois.
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (mois, niveau) ; niveau = '*' pour l'ensemble des parents (un parent de deux niveaux compte une fois).
-- identique à: entstat export --period month --by role,level (lignes role = parent)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- m : les mois ayant de l'activité du :from au :to (de qui que ce soit, périmètre ou non), et leur
-- dernier jour (borné à :to).
m AS (SELECT c.month AS month, MIN(MAX(c.day), (SELECT d1 FROM b)) AS last_day FROM calendar c
      WHERE c.month IN (SELECT c2.month FROM b CROSS JOIN calendar c2
                        WHERE c2.day BETWEEN b.d0 AND b.d1
                          AND EXISTS (SELECT 1 FROM person_day_activity a WHERE a.day = c2.day))
      GROUP BY c.month),
-- ad : comptes de parents du périmètre par (niveau, jour d'activation), et niveau = '*' (chaque
-- compte une fois), comptés par entstat dans comptes_niveau (voir Queries/README.md) ; les comptes
-- activés d'un mois se cumulent depuis ad au lieu de croiser chaque mois avec chaque compte.
ad AS (SELECT level, activated_day, accounts AS k FROM comptes_niveau WHERE role = 'parent'),
c AS (SELECT m.month, ad.level, SUM(ad.k) AS n,
             SUM(CASE WHEN ad.activated_day <= m.last_day THEN ad.k ELSE 0 END) AS na
      FROM m, ad GROUP BY m.month, ad.level),
-- rr : les parents actifs par (mois, niveau) (un parent de deux niveaux compte dans chacun) et
-- niveau = '*' (chaque parent une fois), comptés par entstat dans activite_mensuelle_niveau et
-- activite_mensuelle_role (voir Queries/README.md) : un mois coupé par :from ou :to n'y compte que
-- ses jours de la période.
rr AS (SELECT mois AS month, level, users AS u, listed_users AS ul FROM activite_mensuelle_niveau WHERE role = 'parent'
       UNION ALL
       SELECT mois, '*', users, listed_users FROM activite_mensuelle_role WHERE role = 'parent'),
k AS (SELECT month, level FROM rr UNION SELECT month, level FROM c)
SELECT k.month AS mois, k.level AS niveau,
       COALESCE(c.n, 0) AS comptes,
       COALESCE(c.na, 0) AS comptes_actives,
       CASE WHEN c.n > 0 THEN 1.0 * c.na / c.n END AS taux_activation,
       COALESCE(rr.u, 0) AS utilisateurs_actifs,
       COALESCE(rr.ul, 0) AS utilisateurs_actifs_inscrits,
       CASE WHEN c.n > 0 THEN 1.0 * COALESCE(rr.ul, 0) / c.n END AS taux_actifs
FROM k LEFT JOIN rr ON rr.month = k.month AND rr.level = k.level
       LEFT JOIN c ON c.month = k.month AND c.level = k.level
ORDER BY k.month, k.level = '*', k.level;
