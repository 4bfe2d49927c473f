/// Obviously broken lines, written at the requested rate so rejection paths are exercised.
enum MalformedLine {
    /// Appends one malformed line of the given log's flavour.
    static func append(events: Bool, seed: UInt64, to b: inout ByteBuffer) {
        let v = Int(seed % 4)
        if events {
            switch v {
            case 0: b.append("{\"_id\":\"5bc0ffee\",\"event-type\":\"ACCESS\",\"module\":\"Blog\",\"date\":15394\n")
            case 1: b.append("{\"event-type\":\"ACCESS\",\"module\":\"Conversation\",\"date\":\"hier\",\"userId\":\"x\"}\n")
            case 2: b.append("<html><body>502 Bad Gateway</body></html>\n")
            default: b.append("{\"_id\":\"5bc0ffee\",\"module\":\"Auth\",\"userId\":\"00000000-dead-4bee-8000-000000000000\"}\n")
            }
        } else {
            switch v {
            case 0: b.append("192.0.2.77 - u10003 [14/Oct/2018:08:1\n")
            case 1: b.append("GET /accueil HTTP/1.1\n")
            case 2: b.append("\u{1}\u{2}### binary garbage ###\u{7F}\n")
            default: b.append("198.51.100.9 - - [99/Foo/2018:25:61:61 +0200] \"GET /accueil HTTP/1.1\" abc - \"-\"\n")
            }
        }
    }
}
