-- titre: Adoption par EPCI
-- question: Dans chaque intercommunalité, quelle part des comptes est activée, quelle part est active, et combien de parents sont touchés ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par EPCI ('' = sans EPCI connu), plus epci = '*' pour l'ensemble (un utilisateur de deux EPCI compte une fois).
-- identique à: entstat export --period all --by epci (et --by epci,role pour les parents)
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :to) AS d1),
-- k : les EPCIs ayant des utilisateurs actifs du :from au :to (activite_periode_lieu) ou des
-- comptes (comptes_lieu), tables comptées par entstat (voir Queries/README.md).
k AS (SELECT place AS g FROM activite_periode_lieu WHERE kind = 'epci' AND role = '*' AND users > 0
      UNION
      SELECT place FROM comptes_lieu WHERE kind = 'epci' AND role = '*' AND accounts > 0),
-- f : par EPCI, les utilisateurs actifs (chaque personne une fois), dont inscrits à l'annuaire, les
-- parents actifs, dont inscrits, les comptes (chaque compte une fois), activés au :to, et de
-- parents ; chaque table lue par sa clé (kind, place, role). '*' : tout le périmètre, chaque
-- personne et chaque compte une fois (activite_periode_role, comptes_niveau), s'il en a.
f AS (SELECT k.g, t.users AS u, t.listed_users AS ul, p.users AS pu, p.listed_users AS pul,
             c.accounts AS n, c.activated AS na, cp.accounts AS pn
      FROM k
           LEFT JOIN activite_periode_lieu t ON t.kind = 'epci' AND t.place = k.g AND t.role = '*'
           LEFT JOIN activite_periode_lieu p ON p.kind = 'epci' AND p.place = k.g AND p.role = 'parent'
           LEFT JOIN comptes_lieu c ON c.kind = 'epci' AND c.place = k.g AND c.role = '*'
           LEFT JOIN comptes_lieu cp ON cp.kind = 'epci' AND cp.place = k.g AND cp.role = 'parent'
      UNION ALL
      SELECT '*', r.u, r.ul, r.pu, r.pul, a.n, a.na, a.pn
      FROM (SELECT COALESCE(SUM(CASE WHEN role = '*' THEN users END), 0) AS u,
                   COALESCE(SUM(CASE WHEN role = '*' THEN listed_users END), 0) AS ul,
                   COALESCE(SUM(CASE WHEN role = 'parent' THEN users END), 0) AS pu,
                   COALESCE(SUM(CASE WHEN role = 'parent' THEN listed_users END), 0) AS pul
            FROM activite_periode_role WHERE source = '*' AND feature = '*') r,
           (SELECT COALESCE(SUM(CASE WHEN role = '*' THEN accounts END), 0) AS n,
                   COALESCE(SUM(CASE WHEN role = '*' AND activated_day <= (SELECT d1 FROM b) THEN accounts END), 0) AS na,
                   COALESCE(SUM(CASE WHEN role = 'parent' THEN accounts END), 0) AS pn
            FROM comptes_niveau WHERE level = '*' AND role IN ('*', 'parent')) a
      WHERE r.u > 0 OR a.n > 0)
SELECT f.g AS epci,

       COALESCE(f.n, 0) AS comptes,
       COALESCE(f.na, 0) AS comptes_actives,
       CASE WHEN f.n > 0 THEN 1.0 * f.na / f.n END AS taux_activation,
       COALESCE(f.u, 0) AS utilisateurs_actifs,
       COALESCE(f.ul, 0) AS utilisateurs_actifs_inscrits,
       CASE WHEN f.n > 0 THEN 1.0 * COALESCE(f.ul, 0) / f.n END AS taux_actifs,
       COALESCE(f.pn, 0) AS comptes_parents,
       COALESCE(f.pu, 0) AS parents_actifs,
       COALESCE(f.pul, 0) AS parents_actifs_inscrits,
       CASE WHEN f.pn > 0 THEN 1.0 * COALESCE(f.pul, 0) / f.pn END AS taux_parents_actifs
FROM f
ORDER BY f.g = '*', f.g COLLATE french;
