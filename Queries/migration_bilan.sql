-- titre: Utilisateurs de l'ancien ENT retrouvés dans le nouveau
-- question: Parmi les personnes actives dans l'ancien ENT sur la période, quelle part a aussi utilisé le nouvel ENT (à n'importe quel moment de la période) ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par rôle, plus role = '*' pour l'ensemble. Une personne est reconnue dans les deux journaux
--         grâce au legacy_id de accounts.csv.
-- r : par rôle, et role = '*' (chaque personne une fois), les personnes actives du :from au :to
-- dans l'ancien ENT (o : celles qui ont une ligne source = 'access'), dans le nouveau (n : source
-- = 'events') et dans l'un ou l'autre (u : source = '*'), comptées par entstat dans
-- activite_periode_role (voir Queries/README.md). Les personnes des deux journaux sont donc
-- o + n - u. Une personne de plusieurs rôles compte une fois dans chacun, et une fois dans '*'.
-- Une personne absente de l'annuaire (role = 'unknown') n'a pas de legacy_id : ses traces dans
-- l'un et l'autre ENT sont deux personnes, qu'on ne peut pas relier. Sa part retrouvée est donc
-- vide (elle vaudrait toujours 0), et elle compte dans '*' parmi les non retrouvées.
WITH r AS (SELECT role,
                  SUM(CASE WHEN source = 'access' THEN users ELSE 0 END) AS o,
                  SUM(CASE WHEN source = 'events' THEN users ELSE 0 END) AS n,
                  SUM(CASE WHEN source = '*' THEN users ELSE 0 END) AS u
           FROM activite_periode_role WHERE feature = '*' GROUP BY role),
-- k : les rôles qui ont une ligne, et toujours '*'.
k AS (SELECT role FROM r UNION SELECT '*')
SELECT k.role AS role,
       COALESCE(r.o, 0) AS utilisateurs_ancien_ent,
       COALESCE(r.n, 0) AS utilisateurs_nouvel_ent,
       COALESCE(r.o + r.n - r.u, 0) AS utilisateurs_retrouves,
       CASE WHEN r.o > 0 AND k.role <> 'unknown' THEN 1.0 * (r.o + r.n - r.u) / r.o END AS part_retrouves
FROM k LEFT JOIN r ON r.role = k.role
WHERE r.o > 0 OR r.n > 0 OR k.role = '*'
ORDER BY CASE k.role WHEN '*' THEN 9 WHEN 'parent' THEN 1 WHEN 'teacher' THEN 2 WHEN 'student' THEN 3 WHEN 'staff' THEN 4 WHEN 'commune' THEN 5 ELSE 6 END, k.role;
