-- titre: Volumes par rôle pour le dimensionnement
-- question: Quelle charge chaque rôle représente-t-il : requêtes, connexions, authentifications, en moyenne et au plus fort jour ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par rôle actif, plus role = '*' pour l'ensemble (une personne de deux rôles y compte une fois).
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- scoped : une commune ou un EPCI est choisi. Sans périmètre, la table activity_day_role (totaux du
-- territoire par jour et par rôle, role '*' compris) suffit : voir d plus bas.
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
-- pl : une seule commune ou un seul EPCI est choisi : ses totaux par jour (activity_day_place,
-- visit_day_place, chaque personne du lieu une fois dans '*') suffisent, sans relire ses personnes.
pl AS (SELECT CASE WHEN :commune != '' AND :epci = '' THEN 'commune' WHEN :epci != '' AND :commune = '' THEN 'epci' END AS kind,
              CASE WHEN :commune != '' THEN :commune ELSE :epci END AS place),
spr AS (SELECT DISTINCT person, role FROM person_place
        WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- sp : les rôles de chaque personne du périmètre ; first_role (0 ou 1) marque un seul de ses
-- rôles, pour que les totaux '*' la comptent une fois.
sp AS (SELECT person, role, role = MIN(role) OVER (PARTITION BY person) AS first_role FROM spr),
-- dr : par (jour, rôle), utilisateurs (une ligne de person_day_activity par personne et par jour), connexions,
-- authentifications, requêtes ; suffixe 1 : la part comptée sous le premier rôle, pour '*'.
-- Un GROUP BY jour, rôle sur toute la période trierait des millions de lignes : on regroupe jour
-- par jour (sous-requête corrélée sur les lignes d'un seul jour) et ses lignes par rôle, rendues
-- en JSON, sont redépliées par json_each.
dr AS MATERIALIZED (
      SELECT c.day, j.value ->> 0 AS role,
             j.value ->> 1 AS u, j.value ->> 2 AS v, j.value ->> 3 AS l, j.value ->> 4 AS q,
             j.value ->> 5 AS u1, j.value ->> 6 AS v1, j.value ->> 7 AS l1, j.value ->> 8 AS q1
      FROM scoped CROSS JOIN b JOIN calendar c ON c.day BETWEEN b.d0 AND b.d1,
           json_each((SELECT json_group_array(json_array(role, u, v, l, q, u1, v1, l1, q1)) FROM
                       (SELECT sp.role, COUNT(*) AS u, SUM(a.visits) AS v, SUM(a.logins) AS l, SUM(a.requests) AS q,
                               SUM(sp.first_role) AS u1, SUM(sp.first_role * a.visits) AS v1,
                               SUM(sp.first_role * a.logins) AS l1, SUM(sp.first_role * a.requests) AS q1
                        FROM person_day_activity a JOIN sp ON sp.person = a.person
                        WHERE a.day = c.day
                        GROUP BY sp.role))) j
      WHERE scoped.yes AND (SELECT kind FROM pl) IS NULL),
d AS (SELECT role, day, u, v, l, q FROM dr
      UNION ALL
      SELECT '*', day, SUM(u1), SUM(v1), SUM(l1), SUM(q1) FROM dr GROUP BY day
      UNION ALL
      -- sans périmètre : les mêmes lignes, lues dans activity_day_role.
      SELECT r.role, r.day, r.users, r.visits, r.logins, r.requests
      FROM scoped CROSS JOIN b CROSS JOIN activity_day_role r
      WHERE NOT scoped.yes AND r.day BETWEEN b.d0 AND b.d1 AND r.source = '*' AND r.feature = '*'
      UNION ALL
      -- une commune ou un EPCI : les mêmes lignes, lues dans activity_day_place.
      SELECT r.role, r.day, r.users, r.visits, r.logins, r.requests
      FROM pl CROSS JOIN b CROSS JOIN activity_day_place r
      WHERE r.kind = pl.kind AND r.place = pl.place AND r.day BETWEEN b.d0 AND b.d1),
n AS (SELECT COUNT(DISTINCT day) AS days FROM d)
SELECT role,
       SUM(v) AS connexions, SUM(l) AS authentifications, SUM(q) AS requetes,
       1.0 * SUM(v) / (SELECT days FROM n) AS connexions_par_jour_actif,
       1.0 * SUM(q) / (SELECT days FROM n) AS requetes_par_jour_actif,
       MAX(u) AS utilisateurs_jour_max,
       MAX(v) AS connexions_jour_max,
       MAX(q) AS requetes_jour_max
FROM d GROUP BY role ORDER BY role = '*', requetes DESC;
