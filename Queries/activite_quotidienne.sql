-- titre: Activité jour par jour
-- question: Combien d'utilisateurs actifs et de connexions chaque jour ? Les mercredis et les vacances scolaires se voient en creux.
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par jour de la période (0 les jours sans activité).
-- identique à: entstat export --period day, plus une ligne à 0 pour chaque jour sans activité (qu'export omet)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- scoped : une commune ou un EPCI est choisi. Sans périmètre, les lignes role = '*' de
-- activity_day_role (totaux du territoire par jour, chaque personne une fois) suffisent.
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
-- pl : une seule commune ou un seul EPCI est choisi : ses totaux par jour (activity_day_place,
-- visit_day_place, chaque personne du lieu une fois dans '*') suffisent, sans relire ses personnes.
pl AS (SELECT CASE WHEN :commune != '' AND :epci = '' THEN 'commune' WHEN :epci != '' AND :commune = '' THEN 'epci' END AS kind,
              CASE WHEN :commune != '' THEN :commune ELSE :epci END AS place),
sp AS (SELECT DISTINCT person FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- Avec un périmètre : une ligne de person_day_activity (ses totaux) par personne et par jour ;
-- COUNT(*) compte des personnes distinctes ; les lignes sont lues dans l'ordre des jours.
d AS (SELECT a.day, COUNT(*) AS u, SUM(a.visits) AS v
      FROM scoped CROSS JOIN person_day_activity a
      WHERE scoped.yes AND (SELECT kind FROM pl) IS NULL
        AND a.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b)
        AND a.person IN (SELECT person FROM sp)
      GROUP BY a.day
      UNION ALL
      SELECT r.day, r.users, r.visits
      FROM pl CROSS JOIN activity_day_place r
      WHERE r.kind = pl.kind AND r.place = pl.place AND r.role = '*'
        AND r.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b)
      UNION ALL
      SELECT r.day, r.users, r.visits
      FROM scoped CROSS JOIN activity_day_role r
      WHERE NOT scoped.yes AND r.role = '*' AND r.source = '*' AND r.feature = '*'
        AND r.day BETWEEN (SELECT d0 FROM b) AND (SELECT d1 FROM b))
SELECT c.date AS jour, c.weekday AS jour_semaine,
       COALESCE(d.u, 0) AS utilisateurs_actifs, COALESCE(d.v, 0) AS connexions
FROM calendar c JOIN b ON c.day BETWEEN b.d0 AND b.d1 LEFT JOIN d ON d.day = c.day
ORDER BY c.day;
