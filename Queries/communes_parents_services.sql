-- titre: Communes et parents : cantine, transport, périscolaire
-- question: Dans chaque commune, combien de parents utilisent les services de la collectivité (cantine, transport scolaire, périscolaire) et combien d'agents communaux sont actifs ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par commune ayant des parents actifs ou des agents communaux actifs, plus code_commune = '*' pour l'ensemble.
-- identique à: entstat export --period all --by commune,role,feature (rôles parent et commune)
--
-- actifs : les parents et les agents communaux actifs, déjà comptés par entstat, par commune
-- (activite_periode_lieu : une personne de deux communes compte dans chacune) et pour
-- l'ensemble (activite_periode_role : chaque personne une fois), avec les connexions des agents.
WITH actifs AS (
      SELECT place AS g,
             SUM(CASE WHEN role = 'parent' THEN users ELSE 0 END) AS pa,
             SUM(CASE WHEN role = 'commune' THEN users ELSE 0 END) AS ca,
             SUM(CASE WHEN role = 'commune' THEN visits ELSE 0 END) AS cv
      FROM activite_periode_lieu
      WHERE kind = 'commune' AND role IN ('parent', 'commune')
      GROUP BY place
      UNION ALL
      SELECT '*',
             COALESCE(SUM(CASE WHEN role = 'parent' THEN users ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN role = 'commune' THEN users ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN role = 'commune' THEN visits ELSE 0 END), 0)
      FROM activite_periode_role
      WHERE source = '*' AND feature = '*' AND role IN ('parent', 'commune')),
-- services : une ligne par personne ayant utilisé l'un des trois services du :from au :to
-- (activite_periode, toutes sources), avec ceux qu'elle a utilisés et ses connexions à ces
-- services (une connexion qui touche deux services compte dans chacun).
services AS MATERIALIZED (
      SELECT person, MAX(feature = 'cantine') AS c, MAX(feature = 'transport') AS t,
             MAX(feature = 'periscolaire') AS p, SUM(visits) AS sv
      FROM activite_periode
      WHERE source = '*' AND feature IN ('cantine', 'transport', 'periscolaire')
      GROUP BY person),
-- sp : ces personnes quand elles sont parents, une ligne par commune (du périmètre) où elles le
-- sont : un parent de deux écoles d'une commune n'y compte qu'une fois.
sp AS MATERIALIZED (
      SELECT DISTINCT pl.code_commune AS g, s.person, s.c, s.t, s.p, s.sv
      FROM services s JOIN person_place pl ON pl.person = s.person
      WHERE pl.role = 'parent'
        AND (:commune = '' OR pl.code_commune = :commune) AND (:epci = '' OR pl.epci = :epci)),
-- parents : par commune, et pour l'ensemble chaque parent une fois.
parents AS (
      SELECT g, SUM(c) AS pc, SUM(t) AS pt, SUM(p) AS pp, COUNT(*) AS pany, SUM(sv) AS pv
      FROM sp GROUP BY g
      UNION ALL
      SELECT '*', SUM(c), SUM(t), SUM(p), COUNT(*), SUM(sv)
      FROM (SELECT DISTINCT person, c, t, p, sv FROM sp))
SELECT a.g AS code_commune, COALESCE(cm.name, '') AS commune,
       a.pa AS parents_actifs,
       COALESCE(p.pc, 0) AS parents_cantine,
       COALESCE(p.pt, 0) AS parents_transport,
       COALESCE(p.pp, 0) AS parents_periscolaire,
       COALESCE(p.pany, 0) AS parents_services_commune,
       CASE WHEN a.pa > 0 THEN 1.0 * COALESCE(p.pany, 0) / a.pa END AS taux_parents_services_commune,
       COALESCE(p.pv, 0) AS connexions_parents_services_commune,
       a.ca AS agents_communaux_actifs,
       a.cv AS connexions_agents_communaux
FROM actifs a
LEFT JOIN parents p ON p.g = a.g
LEFT JOIN commune cm ON cm.code = a.g
WHERE a.pa > 0 OR a.ca > 0 OR a.g = '*'
ORDER BY a.g = '*', commune COLLATE french, a.g;
