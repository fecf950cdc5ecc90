import ArgumentParser

@main
struct Opora: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "opora", abstract: "Opora")
}
