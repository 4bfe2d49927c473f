-- titre: Pic quotidien d'utilisateurs simultanés
-- question: Chaque jour, combien d'utilisateurs distincts au plus dans une même tranche de 5 minutes (00:00–00:04:59, …) ?
-- paramètres: :from, :to (AAAA-MM-JJ, inclus) ; :commune (code INSEE, '' = tout) ; :epci (nom, '' = tous)
-- lignes: une par jour ayant de l'activité. Sans périmètre, la table day_window suffit ; pour une commune
--         ou un EPCI, la table peak_day_place ; pour une commune et un EPCI à la fois, le pic est recompté
--         à partir des tranches de chaque personne (person_day.windows, bit w de l'octet w/8, bit de poids
--         faible d'abord) par l'agrégat peak_window_users d'entstat : le plus grand nombre de lignes du
--         groupe ayant une même tranche.
-- identique à: peak_concurrent_users de la SPEC §2.4
WITH b AS (SELECT (SELECT day FROM calendar WHERE date = :from) AS d0,
                  (SELECT day FROM calendar WHERE date = :to) AS d1),
scoped AS (SELECT :commune != '' OR :epci != '' AS yes),
-- pl : une seule commune ou un seul EPCI est choisi : ses pics par jour (peak_day_place) suffisent.
pl AS (SELECT CASE WHEN :commune != '' AND :epci = '' THEN 'commune' WHEN :epci != '' AND :commune = '' THEN 'epci' END AS kind,
              CASE WHEN :commune != '' THEN :commune ELSE :epci END AS place),
sp AS (SELECT DISTINCT person FROM person_place, scoped
       WHERE scoped.yes AND (:commune = '' OR code_commune = :commune) AND (:epci = '' OR epci = :epci)),
pd AS (SELECT pd.day, pd.windows FROM scoped CROSS JOIN b CROSS JOIN person_day pd
       WHERE scoped.yes AND (SELECT kind FROM pl) IS NULL AND pd.day BETWEEN b.d0 AND b.d1 AND pd.person IN (SELECT person FROM sp)),
all_days AS (SELECT dw.day, MAX(dw.users) AS peak FROM day_window dw, b, scoped
             WHERE NOT scoped.yes AND dw.day BETWEEN b.d0 AND b.d1 GROUP BY dw.day
             UNION ALL
             SELECT day, peak_window_users(windows) FROM pd GROUP BY day
             UNION ALL
             SELECT r.day, r.users FROM pl CROSS JOIN b CROSS JOIN peak_day_place r
             WHERE r.kind = pl.kind AND r.place = pl.place AND r.day BETWEEN b.d0 AND b.d1)
SELECT c.date AS jour, all_days.peak AS pic_utilisateurs_simultanes
FROM all_days JOIN calendar c ON c.day = all_days.day
ORDER BY c.day;
