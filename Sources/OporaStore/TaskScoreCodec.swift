import OporaCore

/// Task scores are stored in one text column per result ("1=2;2.1=0;3=1"), not a row per task:
/// a million results with fifteen tasks each would otherwise be fifteen million rows to write and read.
enum TaskScoreCodec {
    static func encode(_ scores: [TaskScore]) -> String? {
        guard !scores.isEmpty else { return nil }
        var text = ""
        text.reserveCapacity(scores.count * 6)
        for (index, item) in scores.enumerated() {
            if index > 0 { text += ";" }
            text += item.task
            text += "="
            text += format(item.score)
        }
        return text
    }

    static func decode(_ text: String?) -> [TaskScore] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ";").compactMap { pair in
            guard let eq = pair.lastIndex(of: "="), let score = Double(pair[pair.index(after: eq)...]) else { return nil }
            return TaskScore(task: String(pair[..<eq]), score: score)
        }
    }

    /// Whole scores are written without ".0", which keeps the column short.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
