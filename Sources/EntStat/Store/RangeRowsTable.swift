import CSQLite

/// The virtual table module that serves `RangeRows` to SQL: columns `person`, `source`,
/// `feature`, `requests`, `logins`, `visits`. Every connection registers it at open, with
/// its own `Slot`; `RangeActivity` puts the rows of the range in the slot and declares
/// `temp.activite_periode` with this module, so that queries read the rows in place.
///
/// Equality on `person` is answered by a search from where the table's last one found its
/// person (galloping forward when the persons come in ascending order, a binary search
/// otherwise: `RangeRows.rows(of:hint:)`; a person's rows are a few), on
/// `source` and `feature` by comparing ids, an `IN` list on them in one pass (the ids it
/// names kept, so the rows still come in person order); SQLite checks every constraint
/// again (nothing is omitted), so a value of another type or another collation only makes
/// the read wider. The rows come in person order, so an `ORDER BY person` or a
/// `GROUP BY person` needs no sort (`orderByConsumed`).
enum RangeRowsTable {
    static let moduleName = "entstat_range_rows"

    /// The rows a connection's table reads (nil: none, the table is empty).
    final class Slot {
        var rows: RangeRows?
    }

    /// Registers the module on `db`; `slot` must live as long as the connection.
    static func register(on db: OpaquePointer, slot: Slot) -> Int32 {
        sqlite3_create_module_v2(db, moduleName, module, Unmanaged.passUnretained(slot).toOpaque(), nil)
    }

    /// Bits of `idxNum`: which constraints `xFilter` receives, in this order, and which of
    /// source and feature come as a whole `IN` list (`sqlite3_vtab_in`).
    private static let personBit: Int32 = 1, sourceBit: Int32 = 2, featureBit: Int32 = 4
    private static let sourceListBit: Int32 = 8, featureListBit: Int32 = 16

    /// Written once, then only read by SQLite.
    nonisolated(unsafe) private static let module: UnsafeMutablePointer<sqlite3_module> = {
        let m = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        m.initialize(to: sqlite3_module())
        m.pointee.iVersion = 1
        m.pointee.xCreate = { db, aux, _, _, table, _ in connect(db, aux, table) }
        m.pointee.xConnect = { db, aux, _, _, table, _ in connect(db, aux, table) }
        m.pointee.xBestIndex = { _, info in bestIndex(info!) }
        m.pointee.xDisconnect = { table in sqlite3_free(table); return SQLITE_OK }
        m.pointee.xDestroy = { table in sqlite3_free(table); return SQLITE_OK }
        m.pointee.xOpen = { table, cursor in open(table!, cursor!) }
        m.pointee.xClose = { cursor in close(cursor!) }
        m.pointee.xFilter = { cursor, idxNum, _, argc, argv in filter(cursor!, idxNum, argc, argv) }
        m.pointee.xNext = { cursor in next(cursor!) }
        m.pointee.xEof = { cursor in state(cursor!).pointee.row >= state(cursor!).pointee.end ? 1 : 0 }
        m.pointee.xColumn = { cursor, context, column in value(cursor!, context, column) }
        m.pointee.xRowid = { cursor, rowid in rowid?.pointee = sqlite3_int64(state(cursor!).pointee.row); return SQLITE_OK }
        return m
    }()

    private static func connect(_ db: OpaquePointer?, _ aux: UnsafeMutableRawPointer?,
                                _ table: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab>?>?) -> Int32 {
        let status = sqlite3_declare_vtab(db, """
            CREATE TABLE x(person INTEGER, source TEXT, feature TEXT, requests INTEGER, logins INTEGER, visits INTEGER)
            """)
        guard status == SQLITE_OK else { return status }
        guard let memory = sqlite3_malloc(Int32(MemoryLayout<entstat_vtab>.stride)) else { return SQLITE_NOMEM }
        let vtab = memory.bindMemory(to: entstat_vtab.self, capacity: 1)
        vtab.initialize(to: entstat_vtab())
        vtab.pointee.slot = aux
        table?.pointee = UnsafeMutableRawPointer(vtab).assumingMemoryBound(to: sqlite3_vtab.self)
        return SQLITE_OK
    }

    private static func bestIndex(_ info: UnsafeMutablePointer<sqlite3_index_info>) -> Int32 {
        var argument: [Int32: Int32] = [:]  // column → constraint index
        for i in 0..<Int(info.pointee.nConstraint) {
            let c = info.pointee.aConstraint[i]
            guard c.usable != 0, c.op == UInt8(SQLITE_INDEX_CONSTRAINT_EQ), (0...2).contains(c.iColumn) else { continue }
            // Texts compare byte for byte: a constraint under another collation is left to SQLite.
            if c.iColumn > 0, let collation = sqlite3_vtab_collation(info, Int32(i)), String(cString: collation) != "BINARY" { continue }
            if argument[c.iColumn] == nil { argument[c.iColumn] = Int32(i) }
        }
        var idxNum: Int32 = 0, next: Int32 = 1
        // Whether each xFilter reads the rows of one scan in person order: not when SQLite
        // calls it once per value of a list (an IN on person, left to SQLite; or a value
        // of a vector IN, `(source, feature) IN (…)`, which cannot be handed whole). A
        // source or feature is one value known here, or an IN list handed whole.
        var inPersonOrder = true
        for (column, bit, listBit) in [(Int32(0), personBit, Int32(0)), (1, sourceBit, sourceListBit), (2, featureBit, featureListBit)] {
            guard let i = argument[column] else { continue }
            info.pointee.aConstraintUsage[Int(i)].argvIndex = next
            info.pointee.aConstraintUsage[Int(i)].omit = 0
            next += 1
            idxNum |= bit
            if column == 0 {
                if sqlite3_vtab_in(info, i, -1) != 0 { inPersonOrder = false }
            } else if sqlite3_vtab_in(info, i, 1) != 0 {
                idxNum |= listBit
            } else {
                var value: OpaquePointer?
                if sqlite3_vtab_rhs_value(info, i, &value) != SQLITE_OK { inPersonOrder = false }
            }
        }
        info.pointee.idxNum = idxNum
        let byPerson = idxNum & personBit != 0
        let unique = idxNum & (personBit | sourceBit | featureBit | sourceListBit | featureListBit) == personBit | sourceBit | featureBit
        info.pointee.estimatedCost = byPerson ? 10 : 1_000_000
        info.pointee.estimatedRows = byPerson ? (unique ? 1 : 10) : 1_000_000
        if unique { info.pointee.idxFlags = SQLITE_INDEX_SCAN_UNIQUE }
        // The rows come in ascending person order (whatever source and feature keep), which
        // meets an ORDER BY person in every mode of `sqlite3_vtab_distinct`.
        if inPersonOrder, info.pointee.nOrderBy == 1, info.pointee.aOrderBy[0].iColumn == 0, info.pointee.aOrderBy[0].desc == 0 {
            info.pointee.orderByConsumed = 1
        }
        return SQLITE_OK
    }

    private static func state(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>) -> UnsafeMutablePointer<entstat_vcursor> {
        UnsafeMutableRawPointer(cursor).assumingMemoryBound(to: entstat_vcursor.self)
    }

    private static func rows(_ c: UnsafeMutablePointer<entstat_vcursor>) -> RangeRows? {
        c.pointee.rows.map { Unmanaged<RangeRows>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func open(_ table: UnsafeMutablePointer<sqlite3_vtab>,
                             _ cursor: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab_cursor>?>) -> Int32 {
        guard let memory = sqlite3_malloc(Int32(MemoryLayout<entstat_vcursor>.stride)) else { return SQLITE_NOMEM }
        let c = memory.bindMemory(to: entstat_vcursor.self, capacity: 1)
        c.initialize(to: entstat_vcursor())
        let vtab = UnsafeMutableRawPointer(table).assumingMemoryBound(to: entstat_vtab.self)
        if let slot = vtab.pointee.slot, let held = Unmanaged<Slot>.fromOpaque(slot).takeUnretainedValue().rows {
            // Retained by the cursor: the slot may take other rows while it reads.
            c.pointee.rows = Unmanaged.passRetained(held).toOpaque()
        }
        cursor.pointee = UnsafeMutableRawPointer(c).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
        return SQLITE_OK
    }

    private static func close(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>) -> Int32 {
        let c = state(cursor)
        if let held = c.pointee.rows { Unmanaged<RangeRows>.fromOpaque(held).release() }
        freeKept(c)
        sqlite3_free(cursor)
        return SQLITE_OK
    }

    /// Frees the cursor's kept source and feature ids: it keeps any.
    private static func freeKept(_ c: UnsafeMutablePointer<entstat_vcursor>) {
        sqlite3_free(c.pointee.sources)
        sqlite3_free(c.pointee.features)
        c.pointee.sources = nil
        c.pointee.features = nil
    }

    private static func filter(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>, _ idxNum: Int32, _ argc: Int32,
                               _ argv: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
        let c = state(cursor)
        c.pointee.row = 0
        c.pointee.end = 0
        freeKept(c)
        guard let rows = rows(c) else { return SQLITE_OK }
        var range = 0..<rows.count
        var index = 0
        if idxNum & personBit != 0 {
            let value = argv?[index]
            index += 1
            // Another type is left to SQLite's comparison (with the column's affinity).
            if sqlite3_value_type(value) == SQLITE_INTEGER {
                let vtab = UnsafeMutableRawPointer(c.pointee.base.pVtab!).assumingMemoryBound(to: entstat_vtab.self)
                range = rows.rows(of: sqlite3_value_int64(value), hint: Int(vtab.pointee.hint))
                vtab.pointee.hint = Int64(range.lowerBound)
            }
        }
        for (bit, listBit) in [(sourceBit, sourceListBit), (featureBit, featureListBit)] where idxNum & bit != 0 {
            let value = argv?[index]
            index += 1
            switch kept(value, isList: idxNum & listBit != 0, rows: rows) {
            case .any: continue
            case .none: return SQLITE_OK
            case .ids(let ids):
                if bit == sourceBit { c.pointee.sources = ids } else { c.pointee.features = ids }
            case .failed(let status): return status
            }
        }
        c.pointee.row = Int64(range.lowerBound)
        c.pointee.end = Int64(range.upperBound)
        skip(c, rows)
        return SQLITE_OK
    }

    /// What a constraint on source or feature keeps of the rows.
    private enum Kept {
        /// Every row: a value of another type than text, left to SQLite's comparison.
        case any
        /// No row: no row holds the text (or any text of the list).
        case none
        /// The rows of these ids: one byte per text id, 1 for kept (sqlite3_malloc'd).
        case ids(UnsafeMutablePointer<UInt8>)
        /// SQLite failed to hand the list's values, or to allocate.
        case failed(Int32)
    }

    /// The ids `value` keeps: one text, or each text of an `IN` list handed whole.
    private static func kept(_ value: OpaquePointer?, isList: Bool, rows: RangeRows) -> Kept {
        var found: [UInt16] = []
        var other = false
        /// Looks one text up (a value of the list is valid only until the next is asked for).
        func look(_ text: OpaquePointer?) {
            guard sqlite3_value_type(text) == SQLITE_TEXT, let t = sqlite3_value_text(text) else { other = true; return }
            if let id = rows.existingID(utf8: t, length: Int(sqlite3_value_bytes(text))) { found.append(id) }
        }
        if isList {
            var item: OpaquePointer?
            var status = sqlite3_vtab_in_first(value, &item)
            while status == SQLITE_OK, let present = item {
                look(present)
                status = sqlite3_vtab_in_next(value, &item)
            }
            guard status == SQLITE_DONE || status == SQLITE_OK else { return .failed(status) }
        } else {
            look(value)
        }
        if other { return .any }
        guard !found.isEmpty else { return .none }
        guard let memory = sqlite3_malloc(Int32(max(rows.texts.count, 1))) else { return .failed(SQLITE_NOMEM) }
        let ids = memory.bindMemory(to: UInt8.self, capacity: rows.texts.count)
        ids.initialize(repeating: 0, count: rows.texts.count)
        for id in found { ids[Int(id)] = 1 }
        return .ids(ids)
    }

    /// Moves the cursor past rows of other sources or features than it keeps.
    private static func skip(_ c: UnsafeMutablePointer<entstat_vcursor>, _ rows: RangeRows) {
        let sources = c.pointee.sources, features = c.pointee.features
        guard sources != nil || features != nil else { return }
        var row = Int(c.pointee.row)
        let end = Int(c.pointee.end)
        while row < end
                && ((sources.map { $0[Int(rows.source[row])] == 0 } ?? false)
                    || (features.map { $0[Int(rows.feature[row])] == 0 } ?? false)) {
            row += 1
        }
        c.pointee.row = Int64(row)
    }

    private static func next(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>) -> Int32 {
        let c = state(cursor)
        c.pointee.row += 1
        if let rows = rows(c) { skip(c, rows) }
        return SQLITE_OK
    }

    private static func value(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>, _ context: OpaquePointer?, _ column: Int32) -> Int32 {
        let c = state(cursor)
        guard let rows = rows(c) else { return SQLITE_OK }
        let row = Int(c.pointee.row)
        switch column {
        case 0: sqlite3_result_int64(context, rows.person[row])
        // The texts live as long as the rows, which the cursor holds: no copy.
        case 1: sqlite3_result_text(context, rows.cTexts[Int(rows.source[row])], -1, nil)
        case 2: sqlite3_result_text(context, rows.cTexts[Int(rows.feature[row])], -1, nil)
        case 3: sqlite3_result_int64(context, rows.requests[row])
        case 4: sqlite3_result_int64(context, rows.logins[row])
        case 5: sqlite3_result_int64(context, rows.visits[row])
        default: sqlite3_result_null(context)
        }
        return SQLITE_OK
    }
}
