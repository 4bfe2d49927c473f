/// The territory a report covers: the whole store, one commune or one EPCI.
public enum ReportScope: Sendable, Equatable {
    /// The whole store.
    case everything
    /// One commune, by INSEE code (`--commune`).
    case commune(code: String)
    /// One EPCI, by name (`--epci`).
    case epci(name: String)

    /// The `:commune` and `:epci` parameters of the queries ('' = no restriction).
    public var parameters: [String: String] {
        switch self {
        case .everything: return ["commune": "", "epci": ""]
        case .commune(let code): return ["commune": code, "epci": ""]
        case .epci(let name): return ["commune": "", "epci": name]
        }
    }

    /// The parameters of a query over this territory from `from` to `to`: `:commune`,
    /// `:epci`, `:from` and `:to`.
    public func parameters(from: CivilDate, to: CivilDate) -> [String: String] {
        var result = parameters
        result["from"] = from.description
        result["to"] = to.description
        return result
    }
}
