-- titre: Journaux en échec
-- question: Quels fichiers n'ont pas pu être ingérés, et pourquoi ? (Ils ne comptent dans aucun chiffre.)
-- paramètres: aucun.
-- lignes: une par fichier encore en échec, avec son dernier échec, du plus récent au plus ancien :
-- un fichier ingéré sous le même nom après son échec (réparé puis proposé à nouveau) compte dans
-- les chiffres et n'y est plus, comme dans « entstat status » ; un échec oublié par
-- « entstat ingest --forget-failure » y reste (le fichier ne compte toujours pas).
SELECT f.name AS fichier, f.reason AS motif, f.failed_at AS date_echec
FROM failed_file f
WHERE f.id = (SELECT MAX(g.id) FROM failed_file g WHERE g.name = f.name)
  AND NOT EXISTS (SELECT 1 FROM ingested_file i WHERE i.name = f.name AND i.ingested_at >= f.failed_at)
ORDER BY f.failed_at DESC, f.id DESC;
