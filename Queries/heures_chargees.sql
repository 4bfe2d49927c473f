-- titre: Heures les plus chargées
-- question: À quelle heure de la journée commencent les connexions, et combien en moyenne par jour d'activité ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par heure locale (0–23) ayant au moins une connexion, de la plus chargée à la moins chargée.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
v AS (SELECT vs.day, vs.hour, vs.visits FROM b CROSS JOIN visit_start vs
      WHERE vs.day BETWEEN b.d0 AND b.d1 AND vs.person IN (SELECT person FROM sp)),
days AS (SELECT COUNT(DISTINCT day) AS n FROM v),
h AS (SELECT hour, SUM(visits) AS n, MAX(per_day) AS mx FROM
        (SELECT day, hour, SUM(visits) AS visits, SUM(visits) AS per_day FROM v GROUP BY day, hour)
      GROUP BY hour)
SELECT h.hour AS heure, h.n AS connexions,
       1.0 * h.n / (SELECT SUM(n) FROM h) AS part_connexions,
       1.0 * h.n / (SELECT n FROM days) AS connexions_par_jour_actif,
       h.mx AS connexions_jour_le_plus_charge
FROM h ORDER BY h.n DESC, h.hour;
