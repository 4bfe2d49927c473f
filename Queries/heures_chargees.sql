-- titre: Heures les plus chargées
-- question: À quelle heure de la journée commencent les connexions, et combien en moyenne par jour d'activité ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par heure locale (0–23) ayant au moins une connexion, de la plus chargée à la moins chargée.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- everyone = 1 : pas de périmètre et toute personne a au moins une ligne dans person_place ;
-- le filtre « person IN sp » ne retire alors rien et n'est pas évalué ligne à ligne.
everyone AS (SELECT :commune = '' AND :epci = ''
                    AND NOT EXISTS (SELECT 1 FROM person p
                                    WHERE NOT EXISTS (SELECT 1 FROM person_place pp WHERE pp.person = p.id)) AS yes),
-- dh : connexions par (jour, heure). Un GROUP BY jour, heure sur toute la période trierait des
-- millions de lignes de visit_start : on regroupe jour par jour (sous-requête corrélée sur les
-- lignes d'un seul jour, dans l'ordre de la clé de visit_start), ses sommes par heure rendues en
-- JSON puis redépliées par json_each.
dh AS MATERIALIZED (SELECT c.day, j.value ->> 0 AS hour, j.value ->> 1 AS visits
       FROM b JOIN calendar c ON c.day BETWEEN b.d0 AND b.d1,
            json_each((SELECT json_group_array(json_array(hour, n)) FROM
                        (SELECT vs.hour, SUM(vs.visits) AS n FROM visit_start vs
                         WHERE vs.day = c.day
                           AND ((SELECT yes FROM everyone) OR vs.person IN (SELECT person FROM sp))
                         GROUP BY vs.hour))) j),
h AS MATERIALIZED (SELECT hour, SUM(visits) AS n, MAX(visits) AS mx FROM dh GROUP BY hour)
SELECT h.hour AS heure, h.n AS connexions,
       1.0 * h.n / (SELECT SUM(n) FROM h) AS part_connexions,
       1.0 * h.n / (SELECT COUNT(DISTINCT day) FROM dh) AS connexions_par_jour_actif,
       h.mx AS connexions_jour_le_plus_charge
FROM h ORDER BY h.n DESC, h.hour;
