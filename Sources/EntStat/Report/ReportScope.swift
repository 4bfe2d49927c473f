/// The territory a report covers: the whole store, one commune or one EPCI.
public enum ReportScope: Sendable, Equatable {
    case everything
    case commune(code: String)
    case epci(name: String)

    /// The `:commune` and `:epci` parameters of the queries ('' = no restriction).
    public var parameters: [String: String] {
        switch self {
        case .everything: return ["commune": "", "epci": ""]
        case .commune(let code): return ["commune": code, "epci": ""]
        case .epci(let name): return ["commune": "", "epci": name]
        }
    }
}
