import Foundation

/// Builders of log lines in the two formats of SPEC §1.3 and §1.4.
enum LogLine {
    /// An access-log line; `time` is written as given (`28/Oct/2018:00:10:00 +0200`).
    static func access(user: String, time: String, path: String, status: Int = 200, ip: String = "192.0.2.10") -> String {
        "\(ip) - \(user) [\(time)] \"GET \(path) HTTP/1.1\" \(status) 512 \"https://ent.example.fr/accueil\" \"Mozilla/5.0 (X11; Linux x86_64)\""
    }

    /// An event line; `utc` is `YYYY-MM-DDTHH:MM:SS` in UTC.
    static func event(user: String?, utc: String, module: String, type: String = "ACCESS", profil: String? = nil, structures: [String] = []) -> String {
        var fields = ["\"event-type\":\"\(type)\"", "\"module\":\"\(module)\"", "\"date\":\(milliseconds(utc))"]
        fields.append(user.map { "\"userId\":\"\($0)\"" } ?? "\"userId\":null")
        if let profil { fields.append("\"profil\":\"\(profil)\"") }
        fields.append("\"structures\":[\(structures.map { "\"\($0)\"" }.joined(separator: ","))]")
        fields.append("\"ip\":\"192.0.2.1\"")
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Milliseconds since the epoch of a UTC `YYYY-MM-DDTHH:MM:SS`, computed with Foundation
    /// (an independent method from the engine's own date code).
    static func milliseconds(_ utc: String) -> Int64 {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        let date = f.date(from: utc + "Z")!
        return Int64(date.timeIntervalSince1970) * 1000
    }
}
