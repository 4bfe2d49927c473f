import EntStat
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands the LOG arguments of `entstat ingest`: files as given, directories walked
/// recursively, glob patterns (`*`, `?`, `[…]`, and `**` for any number of folders)
/// matched against the tree under their literal prefix. Hidden files and folders are
/// skipped unless a pattern names them; each argument's matches are sorted by path. A
/// path named twice is listed twice (the ingester reports the repeat as skipped).
///
/// An argument that matches nothing is kept as it is, so the ingester reports it as a
/// failed file (exit 2): a nightly run over an empty or misspelt directory must not look
/// like a quiet night. Inside a folder or a pattern, only regular files are read: a named
/// pipe there would block the nightly run, so pipes, sockets and devices are passed over,
/// each with a warning, and so is a symbolic link that leads nowhere (a "latest" link left
/// by a rotation would otherwise fail every night); named alone, such a link fails.
///
/// A name that is not valid UTF-8 cannot be held by a Swift `String`, so no path can open
/// it: met in a folder or a pattern, it is reported as a failed file (`unusable`), with its
/// bad bytes shown escaped, rather than passed over; given as an argument, the command line
/// made U+FFFD of those bytes, and the file, not found, is said to have such a name.
enum LogFileList {
    /// The logs to read, and what the expansion passed over.
    struct Expansion {
        /// The paths to ingest, in order.
        var paths: [String] = []
        /// One line per entry passed over (a pipe, socket or device in a folder or pattern),
        /// for standard error.
        var warnings: [String] = []
        /// Entries that fail before anything is read (a name that is not UTF-8), with their
        /// name as it can be printed: the command reports them as failed files (exit 2).
        var unusable: [(name: String, failure: FileFailure)] = []

        /// Appends what another argument's expansion gave.
        mutating func add(_ other: Expansion) {
            paths += other.paths
            warnings += other.warnings
            unusable += other.unusable
        }
    }

    /// The logs the arguments name, in order, with the warnings and failed entries of the
    /// folders and patterns among them.
    static func expand(_ arguments: [String]) -> Expansion {
        var result = Expansion()
        for argument in arguments {
            if argument == "-" {
                result.paths.append(argument)
            } else if isPattern(argument) {
                var found = glob(argument)
                if found.paths.isEmpty && found.unusable.isEmpty { found.paths = [argument] }
                result.add(found)
            } else if isDirectory(argument) {
                result.add(walk(argument))
            } else if argument.contains("\u{FFFD}"), !exists(argument) {
                result.unusable.append((argument, .nameNotUTF8(isFolder: false, found: false)))
            } else {
                // A missing file is reported by the ingester as a failed file (exit 2), so
                // the other files of a nightly run still go in.
                result.paths.append(argument)
            }
        }
        return result
    }

    /// True when something (a dangling link included) has this name.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// True when the argument holds a glob metacharacter.
    static func isPattern(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    /// Regular files under a directory, recursively, sorted, hidden entries skipped. A
    /// folder that cannot be read is listed itself, and so is the directory when it holds
    /// no file at all: the ingester reports them as failed (exit 2), since a nightly run
    /// must not pass over logs it could not read, or over an empty folder, in silence.
    static func walk(_ directory: String) -> Expansion {
        let tree = tree(directory) { !$0.last!.hasPrefix(".") }
        let visible = { (components: [String]) in !components.last!.hasPrefix(".") }
        let found = (tree.files.filter(visible) + tree.unreadable).map { join(directory, $0) }
        let warnings = tree.special.filter { visible($0.components) }.map { passedOver(join(directory, $0.components), $0.kind) }
        let unusable = tree.notUTF8.filter { $0.name.first != UInt8(ascii: ".") }.map { unusableEntry(join(directory, []), $0) }
        return Expansion(paths: found.isEmpty && unusable.isEmpty ? [directory] : found.sorted(), warnings: warnings.sorted(),
                         unusable: unusable.sorted { $0.name < $1.name })
    }

    /// Regular files matching a pattern such as `/var/log/ent/**/*.gz`, sorted, with the
    /// folders that could hold a match but cannot be read (see `walk`); no path when nothing
    /// matched.
    static func glob(_ pattern: String) -> Expansion {
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let firstWild = parts.firstIndex(where: isPattern) else { return Expansion() }
        let literal = parts[..<firstWild].joined(separator: "/")
        let base = absolute ? "/" + literal : (literal.isEmpty ? "." : literal)
        let prefix = absolute ? (literal.isEmpty ? "/" : "/" + literal + "/") : (literal.isEmpty ? "" : literal + "/")
        let rest = Array(parts[firstWild...])
        guard isDirectory(base) else { return Expansion() }
        let tree = tree(base) { couldContain($0[...], rest[...]) }
        let found = tree.files.filter { matches($0[...], rest[...]) } + tree.unreadable
        let warnings = tree.special.filter { matches($0.components[...], rest[...]) }
            .map { passedOver(prefix + $0.components.joined(separator: "/"), $0.kind) }
        // A folder whose name is not UTF-8 counts when it could hold a match.
        let unusable = tree.notUTF8.filter { entry in
            let components = entry.parent + [String(decoding: entry.name, as: UTF8.self)]
            return entry.isFolder ? couldContain(components[...], rest[...], lastName: entry.name)
                : matches(components[...], rest[...], lastName: entry.name)
        }.map { unusableEntry(prefix, $0) }
        return Expansion(paths: found.map { prefix + $0.joined(separator: "/") }.sorted(), warnings: warnings.sorted(),
                         unusable: unusable.sorted { $0.name < $1.name })
    }

    /// The failed entry of a name that is not UTF-8, named as the paths beside it (`prefix`,
    /// then the folders under it) with its bad bytes escaped.
    private static func unusableEntry(_ prefix: String, _ entry: Tree.NotUTF8) -> (name: String, failure: FileFailure) {
        let name = prefix + (entry.parent + [Console.printable(bytes: entry.name)]).joined(separator: "/")
        return (name, .nameNotUTF8(isFolder: entry.isFolder, found: true))
    }

    /// What an entry of a folder or pattern that is not a regular file is.
    enum SpecialKind {
        /// A symbolic link whose target cannot be reached.
        case deadLink
        /// A symbolic link to a folder outside the one walked (never followed).
        case folderLink
        case fifo, socket, characterDevice, blockDevice, other

        /// What it is, in French.
        var frenchName: String {
            switch self {
            case .deadLink: ByteReader.deadLinkDescription
            case .folderLink: "lien symbolique vers un dossier"
            case .fifo: "tube nommé (FIFO)"
            case .socket: "socket"
            case .characterDevice: "périphérique en mode caractère"
            case .blockDevice: "périphérique en mode bloc"
            case .other: "fichier spécial"
            }
        }
    }

    /// The warning for an entry of a folder or pattern that is not a regular file.
    static func passedOver(_ path: String, _ kind: SpecialKind) -> String {
        switch kind {
        case .deadLink:
            ErrorLine.format(path, "\(kind.frenchName), laissé de côté ; supprimez-le ou rétablissez sa cible")
        case .folderLink:
            ErrorLine.format(path, "\(kind.frenchName) hors du dossier lu, laissé de côté (les liens ne sont pas suivis) ; donnez ce dossier en argument pour lire ses journaux")
        case .fifo, .socket, .characterDevice, .blockDevice, .other:
            ErrorLine.format(path, "\(kind.frenchName) laissé de côté, un dossier ou un motif ne fait lire que des fichiers ordinaires ; nommez-le seul en argument pour le lire, ou retirez-le du dossier")
        }
    }

    private static func join(_ directory: String, _ components: [String]) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + components.joined(separator: "/")
    }

    /// What a walk found under its base, as path components relative to it.
    struct Tree {
        /// Regular files (symbolic links to one included).
        var files: [[String]] = []
        /// Folders that could not be opened.
        var unreadable: [[String]] = []
        /// Named pipes, sockets, devices and links that lead nowhere, with what they are:
        /// passed over with a warning.
        var special: [(components: [String], kind: SpecialKind)] = []
        /// An entry whose name is not valid UTF-8: the folder it is in, the bytes of its
        /// name, and whether it is a folder (not walked: no path could name what it holds).
        struct NotUTF8 {
            var parent: [String]
            var name: [UInt8]
            var isFolder: Bool
        }
        var notUTF8: [NotUTF8] = []
    }

    /// Walks the tree under `base`, descending into the folders (never through a link)
    /// that `descend` accepts.
    static func tree(_ base: String, descend: ([String]) -> Bool) -> Tree {
        var tree = Tree()
        func visit(_ components: [String]) {
            let path = components.isEmpty ? base : join(base, components)
            guard let handle = opendir(path) else {
                tree.unreadable.append(components)
                return
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let bytes = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: UInt8.self, capacity: Int(NAME_MAX) + 1) {
                        Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))))
                    }
                }
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    // Its path cannot be a String: no lstat through one. Its bytes can.
                    var link = stat()
                    let full = Array((join(base, components + [""])).utf8) + bytes + [0]
                    let isFolder = full.withUnsafeBufferPointer {
                        $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &link) == 0 && (link.st_mode & S_IFMT) == S_IFDIR }
                    }
                    tree.notUTF8.append(.init(parent: components, name: bytes, isFolder: isFolder))
                    continue
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(handle)
            for name in names {
                let child = components + [name]
                let full = join(base, child)
                var link = stat()
                guard lstat(full, &link) == 0 else { continue }
                if (link.st_mode & S_IFMT) == S_IFDIR {
                    if descend(child) { visit(child) }
                    continue
                }
                var target = stat()
                guard stat(full, &target) == 0 else {
                    // A link to nothing (a "latest" link left by a rotation): passed over
                    // with a warning, not a failure every night; named alone, it fails.
                    tree.special.append((child, .deadLink))
                    continue
                }
                switch target.st_mode & S_IFMT {
                case S_IFREG: tree.files.append(child)
                // A link to a folder the walk reads anyway (a "latest" link to the newest
                // day's folder) is passed over quietly; one that leads elsewhere is said:
                // the logs there would be missed with no word.
                case S_IFDIR: if !isWithin(full, base) { tree.special.append((child, .folderLink)) }
                case S_IFIFO: tree.special.append((child, .fifo))
                case S_IFSOCK: tree.special.append((child, .socket))
                case S_IFCHR: tree.special.append((child, .characterDevice))
                case S_IFBLK: tree.special.append((child, .blockDevice))
                default: tree.special.append((child, .other))
                }
            }
        }
        visit([])
        return tree
    }

    /// True when the real path of `path` (links resolved) is the folder `base` or under it.
    static func isWithin(_ path: String, _ base: String) -> Bool {
        guard let target = realpath(path, nil) else { return false }
        defer { free(target) }
        guard let root = realpath(base, nil) else { return false }
        defer { free(root) }
        let (t, r) = (String(cString: target), String(cString: root))
        return t == r || t.hasPrefix(r == "/" ? "/" : r + "/")
    }

    /// True when some path under the folder `path` could match `pattern`: the folder's
    /// components match a proper prefix of the pattern (`**` standing for any folders).
    /// `lastName`: the bytes of the last component, when they are not UTF-8 (`first` is then
    /// its lossy decoding), matched as they are.
    static func couldContain(_ path: ArraySlice<String>, _ pattern: ArraySlice<String>, lastName: [UInt8]? = nil) -> Bool {
        guard let first = path.first else { return !pattern.isEmpty }
        guard let head = pattern.first else { return false }
        if head == "**" {
            return couldContain(path, pattern.dropFirst(), lastName: lastName)
                || (!first.hasPrefix(".") && couldContain(path.dropFirst(), pattern, lastName: lastName))
        }
        if first.hasPrefix(".") && !head.hasPrefix(".") { return false }
        guard componentMatches(head, first, bytes: path.count == 1 ? lastName : nil) else { return false }
        return couldContain(path.dropFirst(), pattern.dropFirst(), lastName: lastName)
    }

    /// Matches path components against pattern components; `**` stands for zero or more
    /// folders. A hidden component only matches a pattern component that starts with a dot.
    /// `lastName` as for `couldContain`.
    static func matches(_ path: ArraySlice<String>, _ pattern: ArraySlice<String>, lastName: [UInt8]? = nil) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            if matches(path, pattern.dropFirst(), lastName: lastName) { return true }
            guard let first = path.first, !first.hasPrefix("."), path.count > 1 else { return false }
            return matches(path.dropFirst(), pattern, lastName: lastName)
        }
        guard let first = path.first else { return false }
        if first.hasPrefix(".") && !head.hasPrefix(".") { return false }
        guard componentMatches(head, first, bytes: path.count == 1 ? lastName : nil) else { return false }
        return matches(path.dropFirst(), pattern.dropFirst(), lastName: lastName)
    }

    /// `fnmatch` of one pattern component against one name, or against the name's bytes
    /// when given (a name that is not UTF-8).
    private static func componentMatches(_ pattern: String, _ name: String, bytes: [UInt8]?) -> Bool {
        guard let bytes else { return fnmatch(pattern, name, 0) == 0 }
        return (bytes + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { fnmatch(pattern, $0.baseAddress!, 0) == 0 }
        }
    }
}

extension LogFileList {
    /// The size of a regular file in bytes (0 for a stream or a missing file), taken
    /// without opening it: a stream is opened by its parser alone (`LogInput`).
    static func size(_ path: String) -> Int {
        LogInput(path: path).size ?? 0
    }
}

extension LogFileList {
    /// The first stream (`LogInput.stream`: standard input, a named pipe, `/dev/stdin`…)
    /// named a second time, under the same name or another, and the name it had first; nil
    /// when there is none. A stream gives its bytes to one reader: its second read would
    /// find nothing, or wait forever for a writer.
    static func repeatedStream(_ paths: [String]) -> (first: String, again: String)? {
        var seen: [LogInput: String] = [:]
        for path in paths {
            let input = LogInput(path: path)
            guard input.isStream else { continue }
            if let first = seen[input] { return (first, path) }
            seen[input] = path
        }
        return nil
    }
}

extension LogFileList {
    /// Why the list of `--files-from` could not be used; each case names the list and,
    /// for a bad line, its number.
    enum ListError: Error, CustomStringConvertible {
        case unreadable(list: String, reason: String)
        case notUTF8(list: String, line: Int)
        case nulByte(list: String, line: Int)
        case standardInputTwice(list: String, line: Int)
        case notAPath(list: String, line: Int, kind: String)

        var description: String {
            switch self {
            case .unreadable(let list, let reason):
                ErrorLine.format(list, "liste de journaux illisible (\(reason)) ; vérifiez le chemin et les droits")
            case .notUTF8(let list, let line):
                ErrorLine.format(list, "ligne \(line)", "chemin qui n'est pas de l'UTF-8 valide ; corrigez la liste")
            case .nulByte(let list, let line):
                ErrorLine.format(list, "ligne \(line)", "octet nul dans la ligne, qui ne peut pas être un chemin (une liste de « find -print0 » ?) ; donnez un chemin par ligne, séparés par des sauts de ligne")
            case .standardInputTwice(let list, let line):
                ErrorLine.format(list, "ligne \(line)", "« - » (l'entrée standard) ne peut être lu qu'une fois, et pas quand la liste elle-même vient de l'entrée standard")
            case .notAPath(let list, let line, let kind):
                ErrorLine.format(list, "ligne \(line)", "\(kind), pas un chemin de fichier : --files-from attend une liste de journaux, un chemin par ligne ; donnez ce fichier en argument s'il est à ingérer")
            }
        }
    }

    /// The paths of a `--files-from` list (`-`: standard input): one per line, `\n` or
    /// `\r\n`, blank lines skipped, every other line kept as it is (spaces included) and
    /// then expanded like an argument. A line holding a NUL byte refuses the list. `-` may
    /// name standard input once, counting the arguments' (`standardInputTaken`), and never
    /// when the list is read from it.
    ///
    /// A list, unlike the command line, has no length limit, and is not parsed by
    /// ArgumentParser, whose time grows with the square of the number of arguments (1.4 s
    /// for the 7 444 files of a simulated school year, 5.9 s for twice as many).
    static func readList(_ list: String, standardInputTaken: Bool) throws(ListError) -> [String] {
        let data: Data
        do {
            data = list == "-" ? FileHandle.standardInput.readDataToEndOfFile() : Data(try WholeFile.read(list).bytes)
        } catch let error as ByteReader.Failure {
            switch error {
            case .cannotOpen(_, let reason): throw .unreadable(list: list, reason: reason)
            case .isFolder: throw .unreadable(list: list, reason: "c'est un dossier")
            case .readFailed(_, let offset, let reason): throw .unreadable(list: list, reason: "octet \(offset) : \(reason)")
            }
        } catch {
            throw .unreadable(list: list, reason: "\(error)")
        }
        var paths: [String] = []
        var stdinTaken = standardInputTaken || list == "-"
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var bytes = line[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            // A path cannot hold NUL: the system would open what comes before it, under a
            // name that is not the one reported and recorded.
            if bytes.contains(0) { throw .nulByte(list: list, line: index + 1) }
            guard let path = String(bytes: bytes, encoding: .utf8) else { throw .notUTF8(list: list, line: index + 1) }
            // A log or a reference file given for the list: its lines would each be reported
            // as a file that cannot be opened, user ids and addresses with them.
            if let kind = notAPath(path) { throw .notAPath(list: list, line: index + 1, kind: kind) }
            if path == "-" {
                if stdinTaken { throw .standardInputTwice(list: list, line: index + 1) }
                stdinTaken = true
            }
            paths.append(path)
        }
        return paths
    }

    /// What a list's line is when it is a record rather than a path: a line of the new
    /// ENT's log (a JSON object), of the old ENT's (`… [date] "request"`), or of a
    /// reference file (a `;` row with its header's first column). Nil for anything else.
    static func notAPath(_ line: String) -> String? {
        if line.hasPrefix("{") { return "ligne de journal d'événements (JSON)" }
        if line.contains(" [") && line.contains("] \"") { return "ligne de journal d'accès" }
        for column in ["user_id;", "uai;", "code_commune;"] where line.hasPrefix(column) || line.hasPrefix("\u{FEFF}" + column) {
            return "en-tête d'un fichier de référence (« \(column.dropLast()) »)"
        }
        return nil
    }
}
