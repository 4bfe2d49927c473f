-- titre: Services utilisés, par rôle
-- question: Quels services (messagerie, cahier de liaison, cantine…) chaque rôle utilise-t-il, et par quelle part de ses utilisateurs actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, service) ; role = '*' pour l'ensemble des rôles. Une connexion qui touche
--         plusieurs services compte une fois dans chacun. taux_penetration = utilisateurs du service /
--         utilisateurs actifs du même rôle (utilisateurs_actifs_role).
-- identique à: entstat export --period all --by role,feature (et --by feature pour role = '*')
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
-- territoire par période et par rôle (activity_period_role, role '*' compris) suffisent : voir tot.
scoped AS (SELECT :commune != '' OR :epci != '' OR NOT EXISTS (SELECT 1 FROM cumul) AS yes),
spr AS (SELECT DISTINCT person, role FROM person_place
        WHERE (SELECT yes FROM scoped) AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- sp : les rôles de chaque personne du périmètre ; first_role (0 ou 1) marque un seul de ses
-- rôles, pour que les totaux '*' la comptent une fois.
sp AS (SELECT person, role, role = MIN(role) OVER (PARTITION BY person) AS first_role FROM spr),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md),
-- une ligne par (personne, service) ; feature = '*' : ses utilisateurs actifs.
-- r : un seul regroupement par (rôle, service) ; COUNT(*) compte des personnes distinctes (une
-- ligne par personne et service, une par personne et rôle) ; suffixe 1 : sous le premier rôle, pour '*'.
r AS MATERIALIZED (
      SELECT sp.role, a.feature, COUNT(*) AS u, SUM(a.visits) AS v, SUM(a.requests) AS q,
             SUM(sp.first_role) AS u1, SUM(sp.first_role * a.visits) AS v1, SUM(sp.first_role * a.requests) AS q1
      FROM activite_periode a JOIN sp ON sp.person = a.person
      WHERE a.source = '*'
      GROUP BY sp.role, a.feature),
-- tot : sans périmètre, sur un cumul, les mêmes chiffres lus dans activity_period_role.
tot AS (SELECT t.role, t.feature, t.users AS u, t.visits AS v, t.requests AS q
        FROM cumul JOIN activity_period_role t ON t.kind = cumul.kind AND t.first_day = cumul.first_day
        WHERE NOT (SELECT yes FROM scoped) AND t.source = '*'),
f AS (SELECT role, feature, u, v, q FROM r WHERE feature != '*'
      UNION ALL
      SELECT '*', feature, SUM(u1), SUM(v1), SUM(q1) FROM r WHERE feature != '*' GROUP BY feature
      UNION ALL
      SELECT role, feature, u, v, q FROM tot WHERE feature != '*'),
t AS (SELECT role, u FROM r WHERE feature = '*'
      UNION ALL
      SELECT '*', SUM(u1) FROM r WHERE feature = '*' HAVING COUNT(*) > 0
      UNION ALL
      SELECT role, u FROM tot WHERE feature = '*')
SELECT f.role AS role, f.feature AS service,
       f.u AS utilisateurs, f.v AS connexions, f.q AS requetes,
       t.u AS utilisateurs_actifs_role,
       CASE WHEN t.u > 0 THEN 1.0 * f.u / t.u END AS taux_penetration
FROM f JOIN t ON t.role = f.role
ORDER BY CASE f.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, f.role, f.u DESC, f.feature;
