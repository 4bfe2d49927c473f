-- titre: Parents, maternelle et élémentaire, mois par mois
-- question: Les parents dont les comptes sont remis dès la maternelle s'engagent-ils davantage ? Taux d'activation et taux d'actifs des parents par niveau d'école et par mois.
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (mois, niveau) ; niveau = '*' pour l'ensemble des parents (un parent de deux niveaux compte une fois).
-- identique à: entstat export --period month --by role,level (lignes role = parent)
-- b : la période [d0, d1] ; [m0, m1] : ses mois entier(e)s (m0 = d1 + 1 s'il n'y en a pas). Un mois
-- coupé par :from ou :to compte comme entier quand il n'a aucune activité hors de [d0, d1] ([e0, e1] :
-- la période ainsi étendue) : ses cumuls sont alors ceux des jours de la période.
WITH d AS (SELECT d0, d1,
                  (SELECT first_day FROM period WHERE kind = 'month' AND d0 BETWEEN first_day AND last_day) AS f0,
                  (SELECT last_day FROM period WHERE kind = 'month' AND d1 BETWEEN first_day AND last_day) AS l1
           FROM (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                        (SELECT day FROM calendar WHERE date = :to) AS d1)),
e AS (SELECT d0, d1,
             CASE WHEN EXISTS (SELECT 1 FROM activity WHERE day BETWEEN f0 AND d0 - 1) THEN d0 ELSE f0 END AS e0,
             CASE WHEN EXISTS (SELECT 1 FROM activity WHERE day BETWEEN d1 + 1 AND l1) THEN d1 ELSE l1 END AS e1
      FROM d),
b AS (SELECT d0, d1,
             COALESCE((SELECT MIN(first_day) FROM period WHERE kind = 'month' AND first_day >= e0 AND last_day <= e1), d1 + 1) AS m0,
             COALESCE((SELECT MAX(last_day) FROM period WHERE kind = 'month' AND first_day >= e0 AND last_day <= e1), d1) AS m1
      FROM e),
-- scoped : une commune ou un EPCI est choisi. Sinon, les mois entiers se lisent dans les totaux du
-- territoire par période, rôle et niveau (activity_period_level, activity_period_role) : voir rr.
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
-- spl : les parents du périmètre et leurs niveaux, lus seulement pour les mois comptés personne par
-- personne (avec un périmètre, ou des mois coupés).
spl AS (SELECT DISTINCT person, level FROM person_place
        WHERE ((SELECT yes FROM scoped) OR (SELECT d0 < m0 OR m1 < d1 FROM b)) AND role = 'parent' AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- sp : les niveaux de chaque parent du périmètre ; first_level (0 ou 1) marque un seul de ses
-- niveaux, pour que les totaux '*' le comptent une fois.
-- listed : le parent est dans l'annuaire (lu une fois par personne, pas une fois par mois).
sp AS (SELECT s.person, s.level, s.first_level, p.account IS NOT NULL AS listed
       FROM (SELECT person, level, level = MIN(level) OVER (PARTITION BY person) AS first_level FROM spl) s
            JOIN person p ON p.id = s.person),
-- sa : les comptes parents du périmètre (un compte a une date d'activation).
sa AS (SELECT DISTINCT account, level, activated_day FROM account_place
       WHERE role = 'parent' AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- L'activité de chaque personne, mois par mois (une ligne par personne et par mois) : un mois
-- entier de la période se lit dans activity_period (avec un périmètre) ; un mois coupé par :from
-- ou :to aussi, moins ses jours hors période quand ils sont peu nombreux (cm.sub), sinon jour par
-- jour dans activity ; un mois est repéré par son premier jour (period.first_day). Une personne
-- dont toute l'activité du mois tombe hors période n'y compte pas (requêtes à zéro).
-- cm : les mois coupés par :from ou :to (au plus deux), leurs jours dans la période [i0, i1], et
-- sub = 1 quand leurs jours actifs hors période sont peu nombreux (au plus un quart de ceux du
-- dedans) : le mois se lit alors dans activity_period, moins ces jours-là.
cm AS MATERIALIZED (
      SELECT first_day, last_day, i0, i1, 4 * (n_all - n_in) <= n_in AS sub
      FROM (SELECT p.first_day, p.last_day, MAX(p.first_day, b.d0) AS i0, MIN(p.last_day, b.d1) AS i1,
                   (SELECT COUNT(*) FROM calendar c WHERE c.day BETWEEN p.first_day AND p.last_day
                      AND EXISTS (SELECT 1 FROM activity a WHERE a.day = c.day AND a.source = '*' AND a.feature = '*')) AS n_all,
                   (SELECT COUNT(*) FROM calendar c WHERE c.day BETWEEN MAX(p.first_day, b.d0) AND MIN(p.last_day, b.d1)
                      AND EXISTS (SELECT 1 FROM activity a WHERE a.day = c.day AND a.source = '*' AND a.feature = '*')) AS n_in
            FROM b CROSS JOIN period p
            WHERE p.kind = 'month' AND p.last_day >= b.d0 AND p.first_day <= b.d1
              AND (p.first_day < b.m0 OR p.last_day > b.m1))),
-- o : les requêtes des jours hors période des mois coupés lus par soustraction, par personne.
o AS MATERIALIZED (
      SELECT cm.first_day, a.person, SUM(a.requests) AS r
      FROM cm CROSS JOIN activity a ON a.day BETWEEN cm.first_day AND cm.last_day
      WHERE cm.sub AND a.day NOT BETWEEN cm.i0 AND cm.i1 AND a.source = '*' AND a.feature = '*'
      GROUP BY cm.first_day, a.person),
pm AS (SELECT ap.first_day, ap.person
       FROM activity_period ap
       WHERE (SELECT yes FROM scoped)
         AND ap.kind = 'month' AND ap.first_day BETWEEN (SELECT m0 FROM b) AND (SELECT m1 FROM b)
         AND ap.source = '*' AND ap.feature = '*'
       UNION ALL
       SELECT cm.first_day, ap.person
       FROM cm CROSS JOIN activity_period ap ON ap.kind = 'month' AND ap.first_day = cm.first_day AND ap.source = '*' AND ap.feature = '*'
            LEFT JOIN o ON o.first_day = cm.first_day AND o.person = ap.person
       WHERE cm.sub AND ap.requests > COALESCE(o.r, 0)
       UNION ALL
       SELECT cm.first_day, a.person
       FROM cm CROSS JOIN activity a ON a.day BETWEEN cm.i0 AND cm.i1
       WHERE NOT cm.sub AND a.source = '*' AND a.feature = '*'
       GROUP BY cm.first_day, a.person),
-- r : par (mois, niveau) ; pm a une ligne par personne et par mois et sp une par (personne,
-- niveau) : COUNT(*) compte des personnes distinctes. Suffixe 1 : sous le premier niveau, pour '*'.
r AS MATERIALIZED (
      SELECT (SELECT month FROM calendar WHERE day = pm.first_day) AS month, sp.level,
             COUNT(*) AS u, SUM(sp.listed) AS ul, SUM(sp.first_level) AS u1, SUM(sp.first_level AND sp.listed) AS ul1
      FROM pm CROSS JOIN sp ON sp.person = pm.person  -- CROSS JOIN : pm d'abord (sinon SQLite indexe pm à la volée)
      GROUP BY pm.first_day, sp.level),
-- m : les mois ayant de l'activité (de qui que ce soit, périmètre ou non), et leur dernier jour
-- (borné à :to).
m AS (SELECT c.month AS month, MIN(MAX(c.day), (SELECT d1 FROM b)) AS last_day FROM calendar c
      WHERE c.month IN (SELECT p.label FROM b CROSS JOIN period p
                        WHERE p.kind = 'month' AND p.first_day BETWEEN b.m0 AND b.m1
                          AND EXISTS (SELECT 1 FROM activity_period ap WHERE ap.kind = 'month' AND ap.first_day = p.first_day
                                        AND ap.source = '*' AND ap.feature = '*')
                        UNION
                        SELECT c2.month FROM b CROSS JOIN calendar c2
                        WHERE (c2.day BETWEEN b.d0 AND b.m0 - 1 OR c2.day BETWEEN b.m1 + 1 AND b.d1)
                          AND EXISTS (SELECT 1 FROM activity a WHERE a.day = c2.day AND a.source = '*' AND a.feature = '*'))
      GROUP BY c.month),
-- ad : comptes par (niveau, jour d'activation) ; les comptes activés d'un mois se cumulent
-- depuis ad au lieu de croiser chaque mois avec chaque compte.
ad AS MATERIALIZED (
      SELECT level, activated_day, COUNT(*) AS k FROM sa GROUP BY level, activated_day
      UNION ALL
      SELECT '*', activated_day, COUNT(*) FROM (SELECT DISTINCT account, activated_day FROM sa) GROUP BY activated_day),
c AS (SELECT m.month, ad.level, SUM(ad.k) AS n,
             SUM(CASE WHEN ad.activated_day <= m.last_day THEN ad.k ELSE 0 END) AS na
      FROM m, ad GROUP BY m.month, ad.level),
-- rr : les actifs par (mois, niveau) et '*' ; sans périmètre, ceux des mois entiers sont les totaux
-- des parents par mois et niveau (un parent de deux niveaux compte dans chacun) et par mois.
rr AS (SELECT month, level, u, ul FROM r
       UNION ALL
       SELECT month, '*', SUM(u1), SUM(ul1) FROM r GROUP BY month
       UNION ALL
       SELECT p.label, t.level, t.users, t.listed_users
       FROM b CROSS JOIN activity_period_level t JOIN period p ON p.kind = t.kind AND p.first_day = t.first_day
       WHERE NOT (SELECT yes FROM scoped) AND t.kind = 'month' AND t.first_day BETWEEN b.m0 AND b.m1 AND t.role = 'parent'
       UNION ALL
       SELECT p.label, '*', t.users, t.listed_users
       FROM b CROSS JOIN activity_period_role t JOIN period p ON p.kind = t.kind AND p.first_day = t.first_day
       WHERE NOT (SELECT yes FROM scoped) AND t.kind = 'month' AND t.first_day BETWEEN b.m0 AND b.m1
         AND t.role = 'parent' AND t.source = '*' AND t.feature = '*'),
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
