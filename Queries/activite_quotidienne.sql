-- titre: Activité jour par jour
-- question: Combien d'utilisateurs actifs et de connexions chaque jour ? Les mercredis et les vacances scolaires se voient en creux.
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par jour de la période (0 les jours sans activité).
-- identique à: entstat export --period day
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- everyone = 1 : pas de périmètre et toute personne a au moins une ligne dans person_place ;
-- le filtre « person IN sp » ne retire alors rien et n'est pas évalué ligne à ligne.
everyone AS (SELECT :commune = '' AND :epci = ''
                    AND NOT EXISTS (SELECT 1 FROM person p
                                    WHERE NOT EXISTS (SELECT 1 FROM person_place pp WHERE pp.person = p.id)) AS yes),
-- Une ligne de activity (source = '*', feature = '*') par personne et par jour : COUNT(*) compte
-- des personnes distinctes ; les lignes sont lues dans l'ordre des jours (pas de tri).
d AS (SELECT a.day, COUNT(*) AS u, SUM(a.visits) AS v
      FROM activity a
      WHERE a.source = '*' AND a.feature = '*' AND a.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b)
        AND ((SELECT yes FROM everyone) OR a.person IN (SELECT person FROM sp))
      GROUP BY a.day)
SELECT c.date AS jour, c.weekday AS jour_semaine,
       COALESCE(d.u, 0) AS utilisateurs_actifs, COALESCE(d.v, 0) AS connexions
FROM calendar c JOIN b ON c.day BETWEEN b.d0 AND b.d1 LEFT JOIN d ON d.day = c.day
ORDER BY c.day;
