import Foundation

/// Expands the LOG arguments of `entstat ingest`: files as given, directories walked
/// recursively (regular files, sorted by path, hidden files skipped).
enum LogFileList {
    static func expand(_ arguments: [String]) -> [String] {
        var result: [String] = []
        let fm = FileManager.default
        for argument in arguments {
            if argument == "-" {
                result.append(argument)
                continue
            }
            var isDirectory: ObjCBool = false
            // A missing file is reported by the ingester as a failed file (exit 2), so the
            // other files of a nightly run still go in.
            if !fm.fileExists(atPath: argument, isDirectory: &isDirectory) || !isDirectory.boolValue {
                result.append(argument)
                continue
            }
            var found: [String] = []
            if let walker = fm.enumerator(atPath: argument) {
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") { continue }
                    let full = argument.hasSuffix("/") ? argument + relative : argument + "/" + relative
                    var dir: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { found.append(full) }
                }
            }
            result += found.sorted()
        }
        return result
    }
}
