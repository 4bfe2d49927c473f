@testable import EntStat
import Testing

/// The lines chart's legend: entries left to right, a new row when the next would pass the
/// chart's width, the chart taller by each extra row; positions computed by hand (an entry
/// is 18 + 7.2 per character, then a gap of 8).
@Suite struct SVGChartTests {
    /// The report's roles: the seventh entry would end at 820.4, past 720: it starts a
    /// second row (it was drawn past the edge, cut, before).
    static let roles = ["Ensemble", "Parents", "Enseignants", "Élèves", "Personnels", "Agents communaux", "Inconnus (hors annuaire)"]

    @Test func aLegendTooWideForOneRowWraps() {
        let places = SVGChart.legendPlaces(Self.roles, left: 56, width: 720)
        let expected: [(Double, Int)] = [(56, 0), (139.6, 0), (216, 0), (321.2, 0), (390.4, 0), (488.4, 0), (56, 1)]
        #expect(places.count == expected.count)
        for (place, want) in zip(places, expected) {
            #expect(abs(place.x - want.0) < 1e-9 && place.row == want.1, "\(place) ≠ \(want)")
        }
    }

    @Test func theChartGrowsByTheLegendsRows() {
        func viewBox(_ names: [String]) -> Substring? {
            let svg = SVGChart.lines(names.map { .init(name: $0, values: [0.5, 0.6]) }, xLabels: ["a", "b"], title: "t", percent: true)
            guard let start = svg.range(of: "viewBox=\"")?.upperBound, let end = svg[start...].firstIndex(of: "\"") else { return nil }
            return svg[start..<end]
        }
        #expect(viewBox(["Ensemble"]) == "0 0 720.0 260.0")
        #expect(viewBox(Array(Self.roles.prefix(6))) == "0 0 720.0 284.0")
        #expect(viewBox(Self.roles) == "0 0 720.0 302.0")
        // One name wider than the chart stays alone on its row, never on an empty one.
        let long = String(repeating: "x", count: 120)
        let places = SVGChart.legendPlaces(["a", long, "b"], left: 56, width: 720)
        #expect(places.map(\.row) == [0, 1, 2])
        #expect(places.map(\.x) == [56, 56, 56])
    }

    /// A series with no point to draw (the unknown role has no accounts, so no rate) is not
    /// in the legend, and the others keep their colours: the legend of the report's rates
    /// by role listed « Inconnus (hors annuaire) » on a row of its own, with no line.
    @Test func aSeriesWithNothingToDrawIsLeftOutOfTheLegend() {
        let series: [SVGChart.Series] = Self.roles.map { name in
            .init(name: name, values: name.hasPrefix("Inconnus") ? [nil, nil] : [0.5, 0.6])
        }
        let svg = SVGChart.lines(series, xLabels: ["a", "b"], title: "t", percent: true)
        #expect(!svg.contains("Inconnus"))
        #expect(svg.contains("viewBox=\"0 0 720.0 284.0\""), "six entries fit on one row")
        #expect(svg.components(separatedBy: "<path ").count - 1 == 6)
        #expect(svg.contains(">Agents communaux<") && !svg.contains(SVGChart.palette[6]))
        for colour in SVGChart.palette.prefix(6) { #expect(svg.contains("fill=\"\(colour)\""), "\(colour)") }
        // Drawn, the same series is listed, on a second row.
        let drawn = SVGChart.lines(Self.roles.map { .init(name: $0, values: [0.5, 0.6]) }, xLabels: ["a", "b"], title: "t", percent: true)
        #expect(drawn.contains(">Inconnus (hors annuaire)<") && drawn.contains("viewBox=\"0 0 720.0 302.0\""))
        // One series left to draw among several is still named.
        let one = SVGChart.lines([.init(name: "Parents", values: [nil]), .init(name: "Élèves", values: [0.3])], xLabels: ["a"], title: "t", percent: true)
        #expect(!one.contains(">Parents<") && one.contains(">Élèves<"))
        #expect(one.contains("fill=\"\(SVGChart.palette[1])\""), "Élèves keeps the second colour")
    }

    /// The labels of a lines chart's vertical axis, bottom to top.
    static func axisLabels(_ svg: String) -> [String] {
        svg.components(separatedBy: "text-anchor=\"end\" class=\"axis\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// A count's grid lines are whole numbers: the peaks of a commune whose days all show
    /// `< 5` (nothing drawn: top 1.1) had lines at 0, 0.5, 1 and 1.5 labelled « 0, 1, 1, 2 »,
    /// and peaks of at most 9 (top 9.9, step 2.5) « 0, 3, 5, 8, 10 ». A rate's step of 2.5
    /// points (rates of at most 9 %: top 10 %) was labelled « 3 % » and « 8 % ».
    @Test func theAxisLabelsSayWhereTheirLinesAre() {
        func labels(_ values: [Double?], percent: Bool) -> [String] {
            Self.axisLabels(SVGChart.lines([.init(name: "Pic", values: values)], xLabels: ["a", "b"], title: "t", percent: percent))
        }
        #expect(labels([nil, nil], percent: false) == ["0", "1", "2"])
        #expect(labels([1, 1], percent: false) == ["0", "1", "2"])
        #expect(labels([9, 3], percent: false) == ["0", "5", "10"])
        #expect(labels([35, 12], percent: false) == ["0", "10", "20", "30", "40"])
        #expect(labels([0.09, 0.02], percent: true) == ["0,0 %", "2,5 %", "5,0 %", "7,5 %", "10,0 %"])
        #expect(labels([0.9, 0.4], percent: true) == ["0 %", "25 %", "50 %", "75 %", "100 %"])
        #expect(SVGChart.niceStep(0.275, whole: true) == 1 && SVGChart.niceStep(2.475, whole: true) == 5)
        #expect(SVGChart.niceStep(2.475) == 2.5 && SVGChart.niceStep(25) == 25)
    }
}
