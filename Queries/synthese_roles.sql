-- titre: Synthèse par rôle
-- question: Sur la période, combien d'utilisateurs actifs, de connexions et de comptes activés par rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout le territoire) ; :epci (nom, '' = tous)
-- lignes: une par rôle, plus role = '*' pour l'ensemble (un utilisateur compte une fois).
-- identique à: entstat export --period all --by role --from … --to …
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- cumul : la semaine, le mois ou l'année scolaire (la plus courte de ces périodes) qui contient
-- [d0, d1] et n'a aucune activité hors de [d0, d1], s'il y en a une : ses totaux par rôle sont
-- alors ceux de [d0, d1].
cumul AS (SELECT p.kind, p.first_day FROM b CROSS JOIN period p
          WHERE p.kind IN ('week', 'month', 'school-year') AND b.d0 BETWEEN p.first_day AND p.last_day AND b.d1 <= p.last_day
            AND NOT EXISTS (SELECT 1 FROM activity x WHERE x.day BETWEEN p.first_day AND b.d0 - 1)
            AND NOT EXISTS (SELECT 1 FROM activity x WHERE x.day BETWEEN b.d1 + 1 AND p.last_day)
          ORDER BY p.last_day - p.first_day LIMIT 1),
-- scoped : une commune ou un EPCI est choisi, ou la période n'est pas un cumul. Sinon, les totaux du
-- territoire par période et par rôle (activity_period_role, role '*' compris) suffisent : voir r.
scoped AS (SELECT :commune != '' OR :epci != '' OR NOT EXISTS (SELECT 1 FROM cumul) AS yes),
-- sp : les rôles des personnes du périmètre, lus seulement quand ils servent (scoped).
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (SELECT yes FROM scoped) AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- ca : une ligne par (rôle, compte) du périmètre ; activated = 1 s'il est activé au :to.
ca AS (SELECT role, account, MAX(CASE WHEN activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END) AS activated
       FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY role, account),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT sp.role, a.person, a.visits, a.logins, a.requests, p.account IS NOT NULL AS listed
        FROM activite_periode a JOIN sp ON sp.person = a.person JOIN person p ON p.id = a.person
        WHERE (SELECT yes FROM scoped) AND a.source = '*' AND a.feature = '*'),
r AS (SELECT role, COUNT(DISTINCT person) AS u, COUNT(DISTINCT CASE WHEN listed THEN person END) AS ul,
             SUM(visits) AS v, SUM(logins) AS l, SUM(requests) AS q FROM act GROUP BY role
      UNION ALL
      -- '*' : chaque personne du périmètre une fois, même si elle a plusieurs rôles.
      SELECT '*', COUNT(*), COUNT(p.account), SUM(a.visits), SUM(a.logins), SUM(a.requests)
      FROM (SELECT DISTINCT person FROM sp WHERE (SELECT yes FROM scoped)) s
           JOIN activite_periode a ON a.person = s.person AND a.source = '*' AND a.feature = '*'
           JOIN person p ON p.id = s.person
      HAVING (SELECT yes FROM scoped)
      UNION ALL
      -- Sans périmètre, sur un cumul : les mêmes chiffres lus dans activity_period_role.
      SELECT t.role, t.users, t.listed_users, t.visits, t.logins, t.requests
      FROM cumul JOIN activity_period_role t ON t.kind = cumul.kind AND t.first_day = cumul.first_day
      WHERE NOT (SELECT yes FROM scoped) AND t.source = '*' AND t.feature = '*'),
-- c : les comptes par rôle (ca a une ligne par rôle et par compte : COUNT(*) compte des comptes
-- distincts), et '*' : chaque compte une fois.
c AS (SELECT role, COUNT(*) AS n, SUM(activated) AS na FROM ca GROUP BY role
      UNION ALL
      SELECT '*', COUNT(*), COALESCE(SUM(activated), 0)
      FROM (SELECT account, MAX(activated) AS activated FROM ca GROUP BY account)),
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
