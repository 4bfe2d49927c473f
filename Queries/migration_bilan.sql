-- titre: Utilisateurs de l'ancien ENT retrouvés dans le nouveau
-- question: Parmi les personnes actives dans l'ancien ENT sur la période, quelle part a aussi utilisé le nouvel ENT (à n'importe quel moment de la période) ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par rôle, plus role = '*' pour l'ensemble. Une personne est reconnue dans les deux journaux
--         grâce au legacy_id de accounts.csv.
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
-- p1 : une ligne par personne du périmètre ; old_ent, new_ent : elle a utilisé l'ancien, le
-- nouvel ENT ; n = son nombre de lignes dans person_place. Avec n = 1, cette ligne donne son
-- rôle ; sinon role ne sert pas : la personne (plusieurs écoles ou rôles) passe par pr.
p1 AS (SELECT pp.person, pp.role, COUNT(*) AS n,
              EXISTS (SELECT 1 FROM activite_periode a WHERE a.person = pp.person AND a.source = 'access' AND a.feature = '*') AS old_ent,
              EXISTS (SELECT 1 FROM activite_periode a WHERE a.person = pp.person AND a.source = 'events' AND a.feature = '*') AS new_ent
       FROM person_place pp
       WHERE (:commune = '' OR pp.code_commune = :commune) AND (:epci = '' OR pp.epci = :epci)
       GROUP BY pp.person),
-- pr : les personnes à plusieurs lignes, une ligne par (rôle, personne).
pr AS (SELECT DISTINCT pl.role, p1.person, p1.old_ent, p1.new_ent
       FROM p1 JOIN person_place pl ON pl.person = p1.person
       WHERE p1.n > 1 AND (:commune = '' OR pl.code_commune = :commune) AND (:epci = '' OR pl.epci = :epci)),
-- xg : des effectifs de personnes distinctes par (rôle, star, ancien ENT, nouvel ENT) ; star = 1 :
-- ils comptent aussi dans '*' (role NULL : seulement dans '*'). Une personne à une ligne compte
-- une fois dans son rôle et dans '*' ; une autre, une fois dans chacun de ses rôles et une fois
-- dans '*'. Une personne sans activité compte avec old_ent = new_ent = 0, sans effet sur les sommes.
xg AS MATERIALIZED (
      SELECT role, 1 AS star, old_ent, new_ent, COUNT(*) AS k FROM p1 WHERE n = 1 GROUP BY role, old_ent, new_ent
      UNION ALL
      SELECT role, 0, old_ent, new_ent, COUNT(*) FROM pr GROUP BY role, old_ent, new_ent
      UNION ALL
      SELECT NULL, 1, old_ent, new_ent, COUNT(*) FROM p1 WHERE n > 1 GROUP BY old_ent, new_ent),
r AS (SELECT role, SUM(old_ent * k) AS o, SUM(new_ent * k) AS n, SUM((old_ent AND new_ent) * k) AS bth
      FROM xg WHERE role IS NOT NULL GROUP BY role
      UNION ALL
      -- '*' : une ligne par personne, qui compte une fois même avec deux rôles.
      SELECT '*', SUM(old_ent * k), SUM(new_ent * k), SUM((old_ent AND new_ent) * k) FROM xg WHERE star = 1)
SELECT role,
       COALESCE(o, 0) AS utilisateurs_ancien_ent,
       COALESCE(n, 0) AS utilisateurs_nouvel_ent,
       COALESCE(bth, 0) AS utilisateurs_retrouves,
       CASE WHEN o > 0 THEN 1.0 * bth / o END AS part_retrouves
FROM r WHERE o > 0 OR n > 0 OR role = '*'
ORDER BY CASE role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, role;
