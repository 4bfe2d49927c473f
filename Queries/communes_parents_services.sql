-- titre: Communes et parents : cantine, transport, périscolaire
-- question: Dans chaque commune, combien de parents utilisent les services de la collectivité (cantine, transport scolaire, périscolaire) et combien d'agents communaux sont actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par commune ayant des parents actifs ou des agents communaux actifs, plus code_commune = '*' pour l'ensemble.
-- identique à: entstat export --period all --by commune,role,feature (rôles parent et commune)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
sp AS (SELECT DISTINCT person, role, code_commune FROM person_place
       WHERE role IN ('parent', 'commune')
         AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
-- activite_periode : l'activité de chaque personne sommée du :from au :to (voir Queries/README.md).
act AS (SELECT sp.code_commune AS g, sp.role, a.feature, a.person, a.visits
        FROM activite_periode a JOIN sp ON sp.person = a.person
        WHERE a.source = '*'
          AND (a.feature = '*' OR (sp.role = 'parent' AND a.feature IN ('cantine', 'transport', 'periscolaire')))),
agg AS (SELECT g,
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = '*' THEN person END) AS pa,
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = 'cantine' THEN person END) AS pc,
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = 'transport' THEN person END) AS pt,
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = 'periscolaire' THEN person END) AS pp,
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature != '*' THEN person END) AS pany,
           SUM(CASE WHEN role = 'parent' AND feature != '*' THEN visits ELSE 0 END) AS pv,
           COUNT(DISTINCT CASE WHEN role = 'commune' AND feature = '*' THEN person END) AS ca,
           SUM(CASE WHEN role = 'commune' AND feature = '*' THEN visits ELSE 0 END) AS cv
        FROM act GROUP BY g
        UNION ALL
        SELECT '*',
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = '*' THEN person END),
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = 'cantine' THEN person END),
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = 'transport' THEN person END),
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature = 'periscolaire' THEN person END),
           COUNT(DISTINCT CASE WHEN role = 'parent' AND feature != '*' THEN person END),
           SUM(CASE WHEN role = 'parent' AND feature != '*' THEN visits ELSE 0 END),
           COUNT(DISTINCT CASE WHEN role = 'commune' AND feature = '*' THEN person END),
           SUM(CASE WHEN role = 'commune' AND feature = '*' THEN visits ELSE 0 END)
        -- Une ligne par personne (et rôle, service) : un parent de deux communes n'ajoute
        -- qu'une fois ses connexions au total.
        FROM (SELECT DISTINCT role, feature, person, visits FROM act))
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
