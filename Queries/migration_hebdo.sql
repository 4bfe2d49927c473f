-- titre: La migration, semaine par semaine
-- question: Pendant le tuilage, combien d'utilisateurs actifs dans l'ancien ENT, dans le nouveau, et dans les deux la même semaine ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par semaine ISO ayant de l'activité. L'ancien ENT = journal d'accès (source access),
--         le nouveau = journal d'événements (source events).
-- identique à: entstat export --period week --by source (utilisateurs_ancien_ent, utilisateurs_nouvel_ent)
-- activite_hebdo_source (voir Queries/README.md) : table construite par entstat avant la requête,
-- semaine par semaine du :from au :to, dans le périmètre : les personnes actives dans la semaine
-- par journal (source access ou events), et tous journaux confondus (source '*' : chaque personne
-- une fois). Une semaine coupée par :from ou :to n'y compte que ses jours de la période.
-- Les deux = o + n - e : o personnes dans l'ancien, n dans le nouveau, e dans l'un ou l'autre.
SELECT w.semaine,
       (SELECT MIN(date) FROM calendar WHERE iso_week = w.semaine) AS lundi,
       w.o AS utilisateurs_ancien_ent,
       w.n AS utilisateurs_nouvel_ent,
       w.o + w.n - w.e AS utilisateurs_les_deux,
       CASE WHEN w.o > 0 THEN 1.0 * (w.o + w.n - w.e) / w.o END AS part_ancien_aussi_nouvel
FROM (SELECT semaine,
             COALESCE(SUM(users) FILTER (WHERE source = 'access'), 0) AS o,
             COALESCE(SUM(users) FILTER (WHERE source = 'events'), 0) AS n,
             COALESCE(SUM(users) FILTER (WHERE source = '*'), 0) AS e
      FROM activite_hebdo_source
      GROUP BY semaine) w
ORDER BY w.semaine;
