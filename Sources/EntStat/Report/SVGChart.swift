/// Inline SVG charts (no script, no network): horizontal bars, lines and a heatmap. Every
/// text is escaped; hidden (suppressed) values are drawn as gaps, never as numbers.
public enum SVGChart {
    /// Colour-blind-safe palette (Okabe–Ito).
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]

    /// One bar of a bar chart.
    public struct Bar: Sendable {
        /// The text left of the bar.
        public var label: String
        /// The bar's length against the scale; nil draws no bar (a hidden value).
        public var value: Double?
        /// The text written after the bar: the value as the page shows it.
        public var display: String
        /// A bar `label`, of length `value`, with `display` after it.
        public init(label: String, value: Double?, display: String) {
            self.label = label
            self.value = value
            self.display = display
        }
    }

    /// One line of a line chart.
    public struct Series: Sendable {
        /// The line's name in the legend (drawn when there are several lines).
        public var name: String
        /// One value per x position; nil leaves a gap (a hidden value).
        public var values: [Double?]
        /// A line `name` through `values`.
        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
        /// True when the line has a point to draw (a value not nil).
        public var isDrawn: Bool { values.contains { $0 != nil } }
    }

    /// A coordinate or a size: one decimal, with a point (SVG's), for about fifteen thousand
    /// numbers a report.
    static func n(_ v: Double) -> String {
        String(decoding: FrenchText.decimal(v, digits: 1).utf8.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 }, as: UTF8.self)
    }

    /// Horizontal bars, largest scale = `maximum` (or the largest value).
    public static func bars(_ bars: [Bar], title: String, maximum: Double? = nil) -> String {
        let rowHeight = 22.0, labelWidth = 230.0, width = 720.0, valueWidth = 80.0
        let height = Double(bars.count) * rowHeight + 10
        let top = maximum ?? max(bars.compactMap(\.value).max() ?? 1, 1e-9)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\"><title>\(HTMLText.escape(title))</title>"
        for (i, bar) in bars.enumerated() {
            let y = 5 + Double(i) * rowHeight
            svg += "<text x=\"\(n(labelWidth - 6))\" y=\"\(n(y + 15))\" text-anchor=\"end\" class=\"lbl\">\(HTMLText.escape(bar.label))</text>"
            let w = bar.value.map { max(0, min(1, $0 / top)) * (width - labelWidth - valueWidth) } ?? 0
            if bar.value != nil {
                svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 3))\" width=\"\(n(w))\" height=\"\(n(rowHeight - 6))\" fill=\"\(palette[0])\"/>"
            }
            svg += "<text x=\"\(n(labelWidth + w + 5))\" y=\"\(n(y + 15))\" class=\"val\">\(HTMLText.escape(bar.display))</text>"
        }
        return svg + "</svg>"
    }

    /// Lines over labelled x positions. `percent`: values are fractions drawn as 0–100 %.
    /// `marks`: x indexes to shade (e.g. Wednesdays). A series' colour is its place in
    /// `series`; a series with no value (nil throughout) is neither drawn nor in the legend.
    public static func lines(_ series: [Series], xLabels: [String], title: String, percent: Bool,
                             marks: Set<Int> = [], labelEvery: Int = 1) -> String {
        let width = 720.0, height = 260.0, left = 56.0, right = 34.0, top = 12.0, bottom = 44.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap { $0.values.compactMap { $0 } }
        var maxY = percent ? min(1, max(0.1, (all.max() ?? 0.1) * 1.1)) : max(1, (all.max() ?? 1) * 1.1)
        // A count's grid lines fall on whole numbers, as their labels say (a step of 0.5 or
        // 2.5 was labelled « 0, 1, 1, 2 » and « 0, 3, 5, 8, 10 »); a percentage's step of
        // 2.5 points is labelled with its decimal.
        let step = niceStep(maxY / 4, whole: !percent)
        maxY = (maxY / step).rounded(.up) * step
        let percentDigits = (step * 1000).rounded().truncatingRemainder(dividingBy: 10) == 0 ? 0 : 1
        let count = max(xLabels.count, 1)
        func x(_ i: Int) -> Double { left + (count == 1 ? plotW / 2 : Double(i) * plotW / Double(count - 1)) }
        func y(_ v: Double) -> Double { top + plotH - v / maxY * plotH }
        // The legend names the series with a point to draw (a role without accounts has no
        // rate, a level's rates may all be `< 5`); each keeps its colour, its place in `series`.
        let listed = series.count > 1 ? series.indices.filter { series[$0].isDrawn } : []
        let legend = legendPlaces(listed.map { series[$0].name }, left: left, width: width)
        let legendHeight = legend.isEmpty ? 0 : 24 + legendRowHeight * Double(legend.map(\.row).max()!)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height + legendHeight))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\"><title>\(HTMLText.escape(title))</title>"
        let band = count > 1 ? plotW / Double(count - 1) : plotW
        for i in marks.sorted() where i < count {
            svg += "<rect x=\"\(n(x(i) - band / 2))\" y=\"\(n(top))\" width=\"\(n(band))\" height=\"\(n(plotH))\" class=\"mark\"/>"
        }
        var v = 0.0
        while v <= maxY + step / 2 {
            let label = percent ? FrenchText.decimal(v * 100, digits: percentDigits) + " %" : FrenchText.integer(Int(v.rounded()))
            svg += "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(v)))\" y2=\"\(n(y(v)))\" class=\"grid\"/>"
            svg += "<text x=\"\(n(left - 5))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\" class=\"axis\">\(label)</text>"
            v += step
        }
        for (i, label) in xLabels.enumerated() where i % max(labelEvery, 1) == 0 {
            // A label's part in parentheses (the days of a month the range cuts, which only
            // the first and last months are) on a second line, kept inside the chart.
            guard let open = label.range(of: " (") else {
                svg += "<text x=\"\(n(x(i)))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\" class=\"axis\">\(HTMLText.escape(label))</text>"
                continue
            }
            let (subX, subAnchor) = count > 1 && i == 0 ? (4.0, "start") : count > 1 && i == count - 1 ? (width - 4, "end") : (x(i), "middle")
            svg += "<text x=\"\(n(x(i)))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\" class=\"axis\">\(HTMLText.escape(String(label[..<open.lowerBound])))</text>"
            svg += "<text x=\"\(n(subX))\" y=\"\(n(top + plotH + 30))\" text-anchor=\"\(subAnchor)\" class=\"axis\">\(HTMLText.escape(String(label[open.upperBound...]).dropLast().description))</text>"
        }
        for (s, line) in series.enumerated() where line.isDrawn {
            let colour = palette[s % palette.count]
            var path = ""
            var penDown = false
            for (i, value) in line.values.enumerated() {
                guard let value else { penDown = false; continue }
                path += (penDown ? "L" : "M") + "\(n(x(i))) \(n(y(value))) "
                penDown = true
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
            if count <= 40 {
                for (i, value) in line.values.enumerated() {
                    if let value { svg += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(y(value)))\" r=\"3\" fill=\"\(colour)\"/>" }
                }
            }
        }
        for (s, place) in zip(listed, legend) {
            let line = series[s]
            let colour = palette[s % palette.count]
            let y = height + legendRowHeight * Double(place.row)
            svg += "<rect x=\"\(n(place.x))\" y=\"\(n(y - 4))\" width=\"14\" height=\"4\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(n(place.x + 18))\" y=\"\(n(y + 2))\" class=\"lbl\">\(HTMLText.escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    /// The height of a row of the legend.
    static let legendRowHeight = 18.0

    /// Where each entry of a lines chart's legend goes: its left edge and its row (0 first),
    /// the entries left to right from `left`, a new row when the next one would pass
    /// `width`. An entry is its 14-pixel swatch, a gap and its name, at about 7.2 pixels a
    /// character (12-pixel DejaVu Sans, the report's font); at least one entry a row.
    static func legendPlaces(_ names: [String], left: Double, width: Double) -> [(x: Double, row: Int)] {
        var places: [(x: Double, row: Int)] = []
        var x = left, row = 0
        for name in names {
            let entry = 18 + Double(name.count) * 7.2
            if x > left && x + entry > width {
                row += 1
                x = left
            }
            places.append((x, row))
            x += entry + 8
        }
        return places
    }

    /// A weekday × hour grid, darker = more; a hidden value (nil: `< 5` or `s`) is a grey
    /// cell struck through, never the grey of none.
    public static func heatmap(_ values: [[Double?]], rowLabels: [String], title: String) -> String {
        let cell = 26.0, left = 78.0, top = 22.0
        let width = left + 24 * cell + 4, height = top + Double(values.count) * cell + 4
        let maximum = max(values.flatMap { $0.compactMap { $0 } }.max() ?? 1, 1)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\"><title>\(HTMLText.escape(title))</title>"
        for h in stride(from: 0, to: 24, by: 2) {
            svg += "<text x=\"\(n(left + Double(h) * cell + cell / 2))\" y=\"\(n(top - 7))\" text-anchor=\"middle\" class=\"axis\">\(h) h</text>"
        }
        for (r, row) in values.enumerated() {
            let y = top + Double(r) * cell
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y + cell / 2 + 4))\" text-anchor=\"end\" class=\"lbl\">\(HTMLText.escape(rowLabels[r]))</text>"
            for (h, value) in row.enumerated() {
                let x = left + Double(h) * cell
                guard let v = value else {
                    svg += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cell - 2))\" height=\"\(n(cell - 2))\" fill=\"#f1f1f1\"/>"
                    svg += "<line x1=\"\(n(x + 3))\" y1=\"\(n(y + cell - 5))\" x2=\"\(n(x + cell - 5))\" y2=\"\(n(y + 3))\" stroke=\"#8a8a8a\" stroke-width=\"1.5\" class=\"hidden\"/>"
                    continue
                }
                let t = v <= 0 ? 0 : 0.08 + 0.92 * (v / maximum).squareRoot()
                svg += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cell - 2))\" height=\"\(n(cell - 2))\" fill=\"\(v <= 0 ? "#f1f1f1" : palette[0])\" fill-opacity=\"\(v <= 0 ? "1" : n2(t))\"/>"
            }
        }
        return svg + "</svg>"
    }

    static func n2(_ v: Double) -> String { FrenchText.decimal(v, digits: 2).replacingOccurrences(of: ",", with: ".") }

    /// The step between grid lines: the first of 1, 2, 2.5, 5 and 10 times a power of ten
    /// that is at least `raw`; with `whole` (an axis of counts), a whole number, 1 at least.
    static func niceStep(_ raw: Double, whole: Bool = false) -> Double {
        guard raw > 0 else { return 1 }
        if whole && raw <= 1 { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * magnitude >= raw {
            if whole && (m * magnitude).rounded() != m * magnitude { continue }
            return m * magnitude
        }
        return 10 * magnitude
    }
}
