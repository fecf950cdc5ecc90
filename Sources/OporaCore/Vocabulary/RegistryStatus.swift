/// Where a supported school is in its programme (the registry of supported schools).
public enum RegistryStatus: String, CaseIterable, Sendable, Codable {
    case included
    case inProgramme = "in_programme"
    case exitProposed = "exit_proposed"
    case exited

    public var name: LocalizedText {
        switch self {
        case .included: LocalizedText(ru: "включена", en: "included")
        case .inProgramme: LocalizedText(ru: "в программе", en: "in the programme")
        case .exitProposed: LocalizedText(ru: "предложен выход", en: "exit proposed")
        case .exited: LocalizedText(ru: "вышла", en: "exited")
        }
    }

    /// Where a status may go next: a school works through its programme, an exit is proposed (or
    /// withdrawn back to the programme), and it exits; from `exited` only a new inclusion leads back.
    public var allowedNext: [RegistryStatus] {
        switch self {
        case .included: [.inProgramme, .exited]
        case .inProgramme: [.exitProposed, .exited]
        case .exitProposed: [.inProgramme, .exited]
        case .exited: []
        }
    }
}
