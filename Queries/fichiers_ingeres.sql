-- titre: Journaux chargés
-- question: Quels journaux ont été lus, combien de lignes retenues, filtrées et rejetées ?
-- paramètres: aucun (les fichiers ne dépendent ni de la période ni du périmètre).
-- lignes: une par journal (access = ancien ENT, events = nouvel ENT) ; source = '*' pour le total.
WITH f AS (SELECT source, COUNT(*) AS n, SUM(lines) AS l, SUM(qualifying) AS q, SUM(filtered) AS fl,
                  SUM(rejected) AS r, MIN(first_day) AS d0, MAX(last_day) AS d1
           FROM ingested_file GROUP BY source
           UNION ALL
           SELECT '*', COUNT(*), SUM(lines), SUM(qualifying), SUM(filtered), SUM(rejected),
                  MIN(first_day), MAX(last_day) FROM ingested_file)
SELECT f.source AS source, f.n AS fichiers, COALESCE(f.l, 0) AS lignes, COALESCE(f.q, 0) AS retenues,
       COALESCE(f.fl, 0) AS filtrees, COALESCE(f.r, 0) AS rejetees,
       (SELECT date FROM calendar WHERE day = f.d0) AS premier_jour,
       (SELECT date FROM calendar WHERE day = f.d1) AS dernier_jour
FROM f ORDER BY f.source = '*', f.source;
