import EntStat
import Foundation

/// Writes `schools.csv` and `accounts.csv` (SPEC §1.1 a and §1.2).
struct ReferenceWriter {
    let world: World
    let options: SimulationOptions

    /// `schools.csv`: BOM and CRLF line ends, as a spreadsheet export would have them.
    func writeSchools(to path: String) throws -> Int {
        var b = ByteBuffer(capacity: 1 << 16)
        b.append(byte: 0xEF); b.append(byte: 0xBB); b.append(byte: 0xBF)
        b.append("uai;nom;niveau;code_commune;commune;epci\r\n")
        for (i, s) in world.schools.enumerated() {
            let commune = world.communes[Int(s.commune)]
            let niveau = i % 17 == 5 ? s.level.csvVariant : s.level.csvName
            b.append(s.uai)
            for field in [s.name, niveau, commune.insee, commune.name, world.epcis[Int(commune.epci)]] {
                b.append(byte: 0x3B)
                b.append(Array(ReferenceWriter.csvField(field).utf8))
            }
            b.append("\r\n")
        }
        return try write(b, to: path)
    }

    /// `accounts.csv`: every listed account, activation dates after `--to` left empty (the
    /// export is taken on the last simulated day).
    func writeAccounts(to path: String) throws -> Int {
        let out = try OutputFile(path: path, gzip: false, level: 0)
        var b = ByteBuffer(capacity: 1 << 21)
        b.append("user_id;legacy_id;role;schools;code_commune;activated_on\n")
        let last = options.to.dayNumber
        var row = 0
        for acc in world.accounts where acc.listed {
            row += 1
            b.appendUUID(acc.uid)
            b.append(byte: 0x3B)
            if acc.legacy != 0 { b.append(byte: 0x75); b.appendDecimal(Int(acc.legacy)) }
            b.append(byte: 0x3B)
            b.append(Array((row % 37 == 11 ? acc.role.csvSynonym : acc.role.csvName).utf8))
            b.append(byte: 0x3B)
            if acc.school0 >= 0 { b.append(world.schools[Int(acc.school0)].uai) }
            if acc.school1 >= 0 { b.append(byte: 0x7C); b.append(world.schools[Int(acc.school1)].uai) }
            b.append(byte: 0x3B)
            b.append(Array(world.communes[Int(acc.commune)].insee.utf8))
            b.append(byte: 0x3B)
            if Int(acc.activation) <= last { b.append(Array(CivilDate(dayNumber: Int(acc.activation)).description.utf8)) }
            b.append(byte: 0x0A)
            if b.count >= 1 << 20 { try out.write(b); b.removeAll() }
        }
        try out.write(b)
        return try out.close()
    }

    /// Quotes a CSV field when it holds `;`, `"` or a line break; doubles inner quotes.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func write(_ b: ByteBuffer, to path: String) throws -> Int {
        let out = try OutputFile(path: path, gzip: false, level: 0)
        try out.write(b)
        return try out.close()
    }
}
