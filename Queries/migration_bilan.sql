-- titre: Utilisateurs de l'ancien ENT retrouvés dans le nouveau
-- question: Parmi les personnes actives dans l'ancien ENT sur la période, quelle part a aussi utilisé le nouvel ENT (à n'importe quel moment de la période) ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par rôle, plus role = '*' pour l'ensemble. Une personne est reconnue dans les deux journaux
--         grâce au legacy_id de accounts.csv.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role FROM person_place
       WHERE (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
p AS (SELECT sp.role, a.person, MAX(a.source = 'access') AS old_ent, MAX(a.source = 'events') AS new_ent
      FROM activite_periode a JOIN sp ON sp.person = a.person
      WHERE a.feature = '*' AND a.source != '*'
      GROUP BY sp.role, a.person),
r AS (SELECT role, SUM(old_ent) AS o, SUM(new_ent) AS n, SUM(old_ent AND new_ent) AS bth FROM p GROUP BY role
      UNION ALL
      -- '*' : une ligne par personne, qui compte une fois même avec deux rôles.
      SELECT '*', SUM(old_ent), SUM(new_ent), SUM(old_ent AND new_ent)
      FROM (SELECT person, MAX(old_ent) AS old_ent, MAX(new_ent) AS new_ent FROM p GROUP BY person))
SELECT role,
       COALESCE(o, 0) AS utilisateurs_ancien_ent,
       COALESCE(n, 0) AS utilisateurs_nouvel_ent,
       COALESCE(bth, 0) AS utilisateurs_retrouves,
       CASE WHEN o > 0 THEN 1.0 * bth / o END AS part_retrouves
FROM r WHERE o > 0 OR n > 0 OR role = '*'
ORDER BY CASE role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, role;
