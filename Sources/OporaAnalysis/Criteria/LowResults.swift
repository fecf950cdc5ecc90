import Foundation
import OporaCore
import OporaStats

/// `official_fail_share` and `stably_low`.
enum LowResults {
    /// Participants with a mark and «2»s of a school in a procedure: from student results, or
    /// from the school aggregate (twos = share_2 × participants, rounded) when there are none.
    static func twos(_ ctx: IdentificationContext, _ p: Procedure, _ school: String) -> (n: Int, twos: Int)? {
        if let c = ctx.data.cell(p, school: school), c.marked > 0 { return (c.marked, c.marks[0]) }
        if let a = ctx.data.aggregate(p, school: school), a.participants > 0, let s2 = a.share2 {
            return (a.participants, Int((s2 * Double(a.participants)).rounded()))
        }
        return nil
    }

    /// `twos` for every school with marks in `p` (cells and aggregates), at once: cells read by index
    /// (looking each school's cell up returned a copy of it, twice per school and procedure).
    static func twosBySchool(_ ctx: IdentificationContext, _ p: Procedure) -> [String: (n: Int, twos: Int)] {
        var out: [String: (n: Int, twos: Int)] = [:]
        let cells = ctx.data.cells[p] ?? []
        out.reserveCapacity(cells.count)
        for i in cells.indices where cells[i].marked > 0 { out[cells[i].schoolID] = (cells[i].marked, cells[i].marks[0]) }
        for i in cells.indices where cells[i].marked == 0 {
            if let t = twos(ctx, p, cells[i].schoolID) { out[cells[i].schoolID] = t }
        }
        for a in ctx.data.aggregates where a.procedure == p && out[a.schoolID] == nil {
            if let t = twos(ctx, p, a.schoolID) { out[a.schoolID] = t }
        }
        return out
    }

    struct Failing {
        var procedure: Procedure
        var n: Int
        var twos: Int
        var share: Double { Double(twos) / Double(n) }
    }
}
