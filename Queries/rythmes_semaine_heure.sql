-- titre: Rythmes : connexions par jour de la semaine et heure
-- question: À quels jours et heures les utilisateurs se connectent-ils, rôle par rôle ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par (rôle, jour de la semaine 1 = lundi … 7 = dimanche, heure locale de début de la connexion) ;
--         role = '*' pour l'ensemble (une personne de deux rôles y compte une fois).
WITH RECURSIVE
b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
              (SELECT day FROM calendar WHERE date = :to) AS d1),
-- scoped : une commune ou un EPCI est choisi. Sans périmètre, la table visit_hour_role (totaux du
-- territoire par jour, heure et rôle, role '*' compris) suffit : voir t plus bas.
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
-- pl : une seule commune ou un seul EPCI est choisi : ses totaux par jour (activity_day_place,
-- visit_day_place, chaque personne du lieu une fois dans '*') suffisent, sans relire ses personnes.
pl AS (SELECT CASE WHEN :commune != '' AND :epci = '' THEN 'commune' WHEN :epci != '' AND :commune = '' THEN 'epci' END AS kind,
              CASE WHEN :commune != '' THEN :commune ELSE :epci END AS place),
spr AS (SELECT DISTINCT person, role FROM person_place
        WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- sp : les rôles de chaque personne du périmètre ; first_role marque un seul de ses rôles
-- (le premier), pour que la ligne '*' compte ses connexions une fois.
sp AS (SELECT person, role, role = MIN(role) OVER (PARTITION BY person) AS first_role FROM spr),
-- dr : connexions par (jour, heure, rôle) ; n1 : la part comptée sous le premier rôle, pour '*'.
-- Un GROUP BY rôle, jour de la semaine, heure sur toute la période trierait des millions de lignes
-- de visit_start. On parcourt plutôt chaque (jour, heure) de la période : la sous-requête corrélée
-- lit les seules lignes de ce jour et de cette heure (index visit_start_hour), les regroupe par
-- rôle (un tri de quelques centaines de lignes) et les rend en JSON, que json_each redéplie.
hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
dr AS MATERIALIZED (
      SELECT c.weekday, hours.h AS hour, j.value ->> 0 AS role, j.value ->> 1 AS n, j.value ->> 2 AS n1
      FROM scoped CROSS JOIN b JOIN calendar c ON c.day BETWEEN b.d0 AND b.d1 CROSS JOIN hours,
           json_each((SELECT json_group_array(json_array(role, n, n1)) FROM
                       (SELECT sp.role, SUM(vs.visits) AS n, SUM(sp.first_role * vs.visits) AS n1
                        FROM visit_start vs JOIN sp ON sp.person = vs.person
                        WHERE vs.day = c.day AND vs.hour = hours.h
                        GROUP BY sp.role))) j
      WHERE scoped.yes AND (SELECT kind FROM pl) IS NULL),
-- t : sans périmètre, les mêmes chiffres lus dans visit_hour_role (quelques lignes par jour).
t AS (SELECT v.role, c.weekday, v.hour, SUM(v.visits) AS n
      FROM scoped CROSS JOIN b JOIN calendar c ON c.day BETWEEN b.d0 AND b.d1 JOIN visit_hour_role v ON v.day = c.day
      WHERE NOT scoped.yes
      GROUP BY v.role, c.weekday, v.hour
      UNION ALL
      -- une commune ou un EPCI : lus dans visit_day_place (24 heures par ligne, dépliées par json_each).
      SELECT v.role, c.weekday, j.key, SUM(j.value)
      FROM pl CROSS JOIN b JOIN visit_day_place v ON v.kind = pl.kind AND v.place = pl.place AND v.day BETWEEN b.d0 AND b.d1
           JOIN calendar c ON c.day = v.day, json_each(v.hours) j
      WHERE j.value > 0
      GROUP BY v.role, c.weekday, j.key)
SELECT role, weekday AS jour_semaine, hour AS heure, n AS connexions
FROM (SELECT role, weekday, hour, SUM(n) AS n FROM dr GROUP BY role, weekday, hour
      UNION ALL
      SELECT '*', weekday, hour, SUM(n1) FROM dr GROUP BY weekday, hour
      UNION ALL
      SELECT role, weekday, hour, n FROM t)
ORDER BY role = '*', role, weekday, hour;
