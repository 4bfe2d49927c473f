-- titre: Heures les plus chargées
-- question: À quelle heure de la journée commencent les connexions, et combien en moyenne par jour d'activité ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par heure locale (0–23) ayant au moins une connexion, de la plus chargée à la moins chargée.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- scoped : une commune ou un EPCI est choisi. Sans périmètre, les lignes role = '*' de
-- visit_hour_role (connexions du territoire par jour et par heure) suffisent.
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
-- pl : une seule commune ou un seul EPCI est choisi : ses totaux par jour (activity_day_place,
-- visit_day_place, chaque personne du lieu une fois dans '*') suffisent, sans relire ses personnes.
pl AS (SELECT CASE WHEN :commune != '' AND :epci = '' THEN 'commune' WHEN :epci != '' AND :commune = '' THEN 'epci' END AS kind,
              CASE WHEN :commune != '' THEN :commune ELSE :epci END AS place),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- dh : connexions par (jour, heure) ; avec un périmètre, lues dans l'ordre de l'index
-- visit_start_hour (jour, heure, personne) : le GROUP BY ne trie rien.
dh AS MATERIALIZED (
      SELECT vs.day, vs.hour, SUM(vs.visits) AS visits
      FROM scoped CROSS JOIN visit_start vs
      WHERE scoped.yes AND (SELECT kind FROM pl) IS NULL AND vs.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b)
        AND vs.person IN (SELECT person FROM sp)
      GROUP BY vs.day, vs.hour
      UNION ALL
      SELECT r.day, j.key, j.value
      FROM pl CROSS JOIN visit_day_place r, json_each(r.hours) j
      WHERE r.kind = pl.kind AND r.place = pl.place AND r.role = '*'
        AND r.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b) AND j.value > 0
      UNION ALL
      SELECT r.day, r.hour, r.visits
      FROM scoped CROSS JOIN visit_hour_role r
      WHERE NOT scoped.yes AND r.role = '*' AND r.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b)),
h AS MATERIALIZED (SELECT hour, SUM(visits) AS n, MAX(visits) AS mx FROM dh GROUP BY hour)
SELECT h.hour AS heure, h.n AS connexions,
       1.0 * h.n / (SELECT SUM(n) FROM h) AS part_connexions,
       1.0 * h.n / (SELECT COUNT(DISTINCT day) FROM dh) AS connexions_par_jour_actif,
       h.mx AS connexions_jour_le_plus_charge
FROM h ORDER BY h.n DESC, h.hour;
