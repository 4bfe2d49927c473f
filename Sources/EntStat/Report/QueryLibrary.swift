#if canImport(Glibc)
import Glibc
#endif

/// The folder of query files the report runs at run time, so that an analyst can change a
/// query or add one without recompiling.
public struct QueryLibrary: Sendable {
    /// A query folder that cannot be used.
    public struct Failure: Error, CustomStringConvertible {
        /// The folder or file that cannot be used.
        public let file: String
        /// Where in the file: `octet N`, or `-` for the whole file.
        public var place = ErrorLine.wholeFile
        /// What is wrong and what to do, in French.
        public let message: String
        /// The one-line error, `FILE: PLACE : MESSAGE` (`ErrorLine`).
        public var description: String { ErrorLine.format(file, place, message) }
    }

    /// The folder read, as given.
    public let directory: String
    /// Every `.sql` file of the folder, by name.
    public let queries: [String: QueryFile]

    /// Reads every `.sql` file of a folder.
    public init(directory: String) throws {
        self.directory = directory
        guard let dir = opendir(directory) else {
            throw Failure(file: directory, message: "dossier de requêtes introuvable ; indiquez-le avec --queries DOSSIER")
        }
        defer { closedir(dir) }
        var found: [String: QueryFile] = [:]
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".sql"), !name.hasPrefix(".") else { continue }
            let path = directory + "/" + name
            let bytes = try QueryLibrary.readText(path)
            let base = String(name.dropLast(4))
            found[base] = QueryFile(name: base, path: path, sql: bytes)
        }
        queries = found
    }

    /// The query of that name, or a clear failure naming the file that is missing.
    public func query(_ name: String) throws -> QueryFile {
        guard let q = queries[name] else {
            throw Failure(file: directory + "/" + name + ".sql",
                          message: "requête manquante ; restaurez-la depuis le dossier Queries/ livré avec entstat (dans le dépôt : « git checkout Queries/ ») ou indiquez un autre dossier avec --queries")
        }
        return q
    }

    /// Finds the shipped `Queries/` folder: in the current directory or one of its parents,
    /// then beside the executable or one of its parents (a checkout's `.build/debug/entstat`).
    public static func locate(executablePath: String, currentDirectory: String) -> String? {
        for start in [currentDirectory, executablePath] {
            var dir = start
            while !dir.isEmpty {
                let candidate = (dir == "/" ? "" : dir) + "/Queries"
                if access(candidate + "/synthese_roles.sql", R_OK) == 0 { return candidate }
                guard let slash = dir.lastIndex(of: "/") else { break }
                if slash == dir.startIndex { if dir == "/" { break }; dir = "/" } else { dir = String(dir[..<slash]) }
            }
        }
        return nil
    }

    /// The text of the query file at `path` (gzip is read), refused at its first byte that
    /// is not UTF-8; a file that cannot be read is refused with the reader's place and reason.
    public static func readText(_ path: String) throws -> String {
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path).bytes
        } catch ByteReader.Failure.isFolder {
            throw Failure(file: path, message: "c'est un dossier, un fichier de requête .sql est attendu ; vérifiez le chemin")
        } catch {
            let failure = LogFileParser.failure(from: error)
            throw Failure(file: path, place: failure.position, message: failure.reason)
        }
        let decoded = UTF8Text.decode(bytes)
        guard let text = decoded.text else {
            throw Failure(file: path, place: "octet \(decoded.invalidAt)", message: "texte qui n'est pas en UTF-8 ; enregistrez la requête en UTF-8")
        }
        return text
    }
}
