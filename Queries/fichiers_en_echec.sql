-- titre: Journaux en échec
-- question: Quels fichiers n'ont pas pu être ingérés, et pourquoi ? (Ils ne comptent dans aucun chiffre.)
-- paramètres: aucun.
-- lignes: une par échec enregistré, du plus récent au plus ancien.
SELECT name AS fichier, reason AS motif, failed_at AS date_echec
FROM failed_file ORDER BY failed_at DESC, id DESC;
