-- titre: Communes et parents : cantine, transport, périscolaire
-- question: Dans chaque commune, combien de parents utilisent les services de la collectivité (cantine, transport scolaire, périscolaire) et combien d'agents communaux sont actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par commune ayant des parents actifs ou des agents communaux actifs, plus code_commune = '*' pour l'ensemble.
-- identique à: entstat export --period all --by commune,role,feature (rôles parent et commune)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
-- p1 : une ligne par parent ou agent communal du périmètre ; n = son nombre de lignes (parent ou
-- commune) dans person_place. Avec n = 1, cette ligne donne sa commune (g) et son rôle ; sinon g
-- et role ne servent pas : la personne (plusieurs écoles, communes ou rôles) passe par la suite de sg.
p1 AS (SELECT person, code_commune AS g, role, COUNT(*) AS n FROM person_place
       WHERE role IN ('parent', 'commune')
         AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)
       GROUP BY person),
-- sg : une ligne par (commune, rôle, personne) ; star = 1 : la ligne compte aussi dans '*' (g NULL :
-- seulement dans '*'). Une personne à une ligne compte une fois dans sa commune et dans '*' ; une
-- autre, une fois dans chacune de ses (commune, rôle) et une fois par rôle dans '*'.
sg AS (SELECT g, role, person, 1 AS star FROM p1 WHERE n = 1
       UNION ALL
       SELECT DISTINCT pl.code_commune, pl.role, pl.person, 0
       FROM p1 JOIN person_place pl ON pl.person = p1.person
       WHERE p1.n > 1 AND pl.role IN ('parent', 'commune')
         AND (:commune = '' OR pl.code_commune = :commune) AND (:epci = '' OR pl.epci = :epci)
       UNION ALL
       SELECT DISTINCT NULL, pl.role, pl.person, 1
       FROM p1 JOIN person_place pl ON pl.person = p1.person
       WHERE p1.n > 1 AND pl.role IN ('parent', 'commune')
         AND (:commune = '' OR pl.code_commune = :commune) AND (:epci = '' OR pl.epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
-- x : pour chaque ligne de sg, les connexions de la personne en tout (v) et, pour un parent, à la
-- cantine, au transport et au périscolaire (NULL : pas de ligne, service non utilisé).
x AS (SELECT sg.g, sg.role, sg.star,
             (SELECT a.visits FROM activite_periode a WHERE a.person = sg.person AND a.source = '*' AND a.feature = '*') AS v,
             CASE WHEN sg.role = 'parent' THEN
               (SELECT a.visits FROM activite_periode a WHERE a.person = sg.person AND a.source = '*' AND a.feature = 'cantine') END AS vc,
             CASE WHEN sg.role = 'parent' THEN
               (SELECT a.visits FROM activite_periode a WHERE a.person = sg.person AND a.source = '*' AND a.feature = 'transport') END AS vt,
             CASE WHEN sg.role = 'parent' THEN
               (SELECT a.visits FROM activite_periode a WHERE a.person = sg.person AND a.source = '*' AND a.feature = 'periscolaire') END AS vp
      FROM sg),
-- xg : les lignes de x comptées par (commune, rôle, star, services utilisés) : k personnes
-- distinctes, sv leurs connexions en tout, ss leurs connexions aux trois services.
xg AS MATERIALIZED (
      SELECT g, role, star, v IS NOT NULL AS a, vc IS NOT NULL AS c, vt IS NOT NULL AS t, vp IS NOT NULL AS p,
             COUNT(*) AS k, SUM(v) AS sv, SUM(COALESCE(vc, 0) + COALESCE(vt, 0) + COALESCE(vp, 0)) AS ss
      FROM x GROUP BY g, role, star, a, c, t, p),
agg AS (SELECT g,
           SUM(CASE WHEN role = 'parent' AND a THEN k ELSE 0 END) AS pa,
           SUM(CASE WHEN role = 'parent' AND c THEN k ELSE 0 END) AS pc,
           SUM(CASE WHEN role = 'parent' AND t THEN k ELSE 0 END) AS pt,
           SUM(CASE WHEN role = 'parent' AND p THEN k ELSE 0 END) AS pp,
           SUM(CASE WHEN role = 'parent' AND (c OR t OR p) THEN k ELSE 0 END) AS pany,
           SUM(CASE WHEN role = 'parent' THEN ss ELSE 0 END) AS pv,
           SUM(CASE WHEN role = 'commune' AND a THEN k ELSE 0 END) AS ca,
           SUM(CASE WHEN role = 'commune' AND a THEN sv ELSE 0 END) AS cv
        FROM xg WHERE g IS NOT NULL GROUP BY g
        UNION ALL
        SELECT '*',
           COALESCE(SUM(CASE WHEN role = 'parent' AND a THEN k ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN role = 'parent' AND c THEN k ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN role = 'parent' AND t THEN k ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN role = 'parent' AND p THEN k ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN role = 'parent' AND (c OR t OR p) THEN k ELSE 0 END), 0),
           SUM(CASE WHEN role = 'parent' THEN ss ELSE 0 END),
           COALESCE(SUM(CASE WHEN role = 'commune' AND a THEN k ELSE 0 END), 0),
           SUM(CASE WHEN role = 'commune' AND a THEN sv ELSE 0 END)
        -- Une ligne par personne et rôle : un parent de deux communes n'ajoute qu'une fois ses
        -- connexions au total.
        FROM xg WHERE star = 1)
SELECT agg.g AS code_commune, COALESCE(cm.name, '') AS commune,
       agg.pa AS parents_actifs,
       agg.pc AS parents_cantine,
       agg.pt AS parents_transport,
       agg.pp AS parents_periscolaire,
       agg.pany AS parents_services_commune,
       CASE WHEN agg.pa > 0 THEN 1.0 * agg.pany / agg.pa END AS taux_parents_services_commune,
       COALESCE(agg.pv, 0) AS connexions_parents_services_commune,
       agg.ca AS agents_communaux_actifs,
       COALESCE(agg.cv, 0) AS connexions_agents_communaux
FROM agg LEFT JOIN commune cm ON cm.code = agg.g
WHERE agg.pa > 0 OR agg.ca > 0 OR agg.g = '*'
ORDER BY agg.g = '*', commune, agg.g;
