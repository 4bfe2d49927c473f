-- titre: Adoption par rôle et niveau d'école
-- question: Pour chaque rôle et niveau (maternelle, élémentaire, primaire), combien de comptes, activés, et quel taux d'actifs sur la période ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, niveau) ; niveau = '*' pour le total du rôle (un utilisateur de deux niveaux compte une fois).
--         niveau = '' : sans école (agents communaux, utilisateurs inconnus).
-- identique à: entstat export --period all --by role,level (et --by role pour les totaux)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- cumul : la semaine, le mois ou l'année scolaire (la plus courte de ces périodes) qui contient
-- [d0, d1] et n'a aucune activité hors de [d0, d1], s'il y en a une : ses totaux par rôle et niveau
-- sont alors ceux de [d0, d1].
cumul AS (SELECT p.kind, p.first_day FROM b CROSS JOIN period p
          WHERE p.kind IN ('week', 'month', 'school-year') AND b.d0 BETWEEN p.first_day AND p.last_day AND b.d1 <= p.last_day
            AND NOT EXISTS (SELECT 1 FROM activity x WHERE x.day BETWEEN p.first_day AND b.d0 - 1)
            AND NOT EXISTS (SELECT 1 FROM activity x WHERE x.day BETWEEN b.d1 + 1 AND p.last_day)
          ORDER BY p.last_day - p.first_day LIMIT 1),
-- scoped : une commune ou un EPCI est choisi, ou la période n'est pas un cumul. Sinon, les totaux du
-- territoire par période, rôle et niveau (activity_period_level, activity_period_role) suffisent : voir r.
scoped AS (SELECT :commune != '' OR :epci != '' OR NOT EXISTS (SELECT 1 FROM cumul) AS yes),
-- p1 : une ligne par personne du périmètre ; n = son nombre de lignes dans person_place. Avec
-- n = 1, cette ligne donne son rôle et son niveau ; sinon role et level ne servent pas : la
-- personne (plusieurs écoles, niveaux ou rôles) passe par pm.
p1 AS (SELECT person, role, level, COUNT(*) AS n FROM person_place
       WHERE (SELECT yes FROM scoped) AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY person),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
-- x1 : les personnes actives à une ligne, comptées par (rôle, niveau, listed) ; listed : dans
-- l'annuaire. Chacune compte une fois dans son niveau et une fois dans le total de son rôle.
x1 AS (SELECT p1.role, p1.level, p.account IS NOT NULL AS listed, COUNT(*) AS k
       FROM p1 JOIN activite_periode a ON a.person = p1.person AND a.source = '*' AND a.feature = '*'
            JOIN person p ON p.id = p1.person
       WHERE p1.n = 1
       GROUP BY p1.role, p1.level, listed),
-- pm : les personnes actives à plusieurs lignes, une ligne par (rôle, niveau, personne).
pm AS (SELECT pl.role, pl.level, pl.person, MAX(p.account IS NOT NULL) AS listed
       FROM p1 JOIN activite_periode a ON a.person = p1.person AND a.source = '*' AND a.feature = '*'
            JOIN person p ON p.id = p1.person
            JOIN person_place pl ON pl.person = p1.person
       WHERE p1.n > 1 AND (:commune = '' OR pl.code_commune = :commune) AND (:epci = '' OR pl.epci = :epci)
       GROUP BY pl.role, pl.level, pl.person),
-- xg : des effectifs de personnes distinctes par (rôle, niveau, listed) ; star = 1 : ils comptent
-- aussi dans le total du rôle (level NULL : seulement dans ce total). Une personne de pm compte
-- une fois dans chacun de ses niveaux et une fois dans le total de chacun de ses rôles.
xg AS MATERIALIZED (
      SELECT role, level, listed, 1 AS star, k FROM x1
      UNION ALL
      SELECT role, level, listed, 0, COUNT(*) FROM pm GROUP BY role, level, listed
      UNION ALL
      SELECT role, NULL, listed, 1, COUNT(*)
      FROM (SELECT role, MAX(listed) AS listed FROM pm GROUP BY role, person) GROUP BY role, listed),
r AS (SELECT role, level, SUM(k) AS u, SUM(listed * k) AS ul FROM xg WHERE level IS NOT NULL GROUP BY role, level
      UNION ALL
      SELECT role, '*', SUM(k), SUM(listed * k) FROM xg WHERE star = 1 GROUP BY role
      UNION ALL
      -- Sans périmètre, sur un cumul : les mêmes effectifs lus dans les totaux du territoire.
      SELECT t.role, t.level, t.users, t.listed_users
      FROM cumul JOIN activity_period_level t ON t.kind = cumul.kind AND t.first_day = cumul.first_day
      WHERE NOT (SELECT yes FROM scoped)
      UNION ALL
      SELECT t.role, '*', t.users, t.listed_users
      FROM cumul JOIN activity_period_role t ON t.kind = cumul.kind AND t.first_day = cumul.first_day
      WHERE NOT (SELECT yes FROM scoped) AND t.role != '*' AND t.source = '*' AND t.feature = '*'),
-- c1 : une ligne par compte du périmètre, comme p1 ; activated = 1 s'il est activé au :to.
c1 AS (SELECT account, role, level, CASE WHEN activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END AS activated,
              COUNT(*) AS n
       FROM account_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY account),
-- cm : les comptes à plusieurs lignes, une ligne par (rôle, niveau, compte), comme pm.
cm AS (SELECT ap.role, ap.level, ap.account,
              MAX(CASE WHEN ap.activated_day <= (SELECT d1 FROM b) THEN 1 ELSE 0 END) AS activated
       FROM c1 JOIN account_place ap ON ap.account = c1.account
       WHERE c1.n > 1 AND (:commune = '' OR ap.code_commune = :commune) AND (:epci = '' OR ap.epci = :epci)
       GROUP BY ap.role, ap.level, ap.account),
-- cg : des effectifs de comptes distincts par (rôle, niveau, activated), comme xg.
cg AS MATERIALIZED (
      SELECT role, level, activated, 1 AS star, COUNT(*) AS k FROM c1 WHERE n = 1 GROUP BY role, level, activated
      UNION ALL
      SELECT role, level, activated, 0, COUNT(*) FROM cm GROUP BY role, level, activated
      UNION ALL
      SELECT role, NULL, activated, 1, COUNT(*)
      FROM (SELECT role, MAX(activated) AS activated FROM cm GROUP BY role, account) GROUP BY role, activated),
c AS (SELECT role, level, SUM(k) AS n, SUM(activated * k) AS na FROM cg WHERE level IS NOT NULL GROUP BY role, level
      UNION ALL
      SELECT role, '*', SUM(k), SUM(activated * k) FROM cg WHERE star = 1 GROUP BY role),
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
