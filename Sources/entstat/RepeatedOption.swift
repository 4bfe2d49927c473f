import ArgumentParser
import Foundation

/// An option that takes one value given more than once (`ingest --accounts A --accounts B`):
/// ArgumentParser keeps the last value without a word, so `A` would silently not be loaded.
/// Such a command line is a usage error. Which options take one value is read from the
/// subcommand's own definition (ArgumentParser's description of it as JSON, `_dumpHelp`),
/// so an option added later is covered without a list to keep up; options declared as
/// arrays (`--param`, `--forget-failure`, `--published-with`) and flags may be repeated.
struct RepeatedOption: Equatable {
    /// The option as the help names it (`--accounts`).
    let name: String
    /// How many times the command line gives it.
    let count: Int

    /// The usage error's message, before the pointer to the help.
    var message: String {
        "option \(name) donnée \(count) fois, alors qu'elle ne prend qu'une valeur ; gardez-en une seule"
    }

    /// The first option of `command` that takes one value and is given more than once in
    /// `arguments` (the command line after the program's name, the subcommand's name
    /// first); nil when there is none. Scans up to `--`, after which everything is a
    /// positional argument.
    static func first(in arguments: [String], of command: ParsableCommand.Type) -> RepeatedOption? {
        let options = Options(of: command)
        var counts: [String: Int] = [:]
        var order: [String] = []
        var i = arguments.first == command._commandName ? 1 : 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if argument == "--" { break }
            guard argument.hasPrefix("-") else { continue }
            let written = String(argument.prefix { $0 != "=" })
            guard let option = options.takingValues[written] else { continue }
            // `--db x`: the value is the next argument, whatever it looks like.
            if !argument.contains("=") { i += 1 }
            guard !option.repeatable else { continue }
            if counts[option.name] == nil { order.append(option.name) }
            counts[option.name, default: 0] += 1
        }
        return order.first { counts[$0, default: 0] > 1 }.map { RepeatedOption(name: $0, count: counts[$0, default: 0]) }
    }

    /// The options of a command that take a value, by every spelling (`--db`, `-d`).
    private struct Options {
        /// An option: the name the help gives it, and whether it may be repeated.
        struct Option {
            let name: String
            let repeatable: Bool
        }

        var takingValues: [String: Option] = [:]

        init(of command: ParsableCommand.Type) {
            guard let tool = try? JSONDecoder().decode(Tool.self, from: Data(command._dumpHelp().utf8)) else { return }
            for argument in tool.command.arguments ?? [] where argument.kind == "option" {
                let spellings = (argument.names ?? []).map { $0.kind == "long" ? "--\($0.name)" : "-\($0.name)" }
                guard let preferred = argument.preferredName.map({ $0.kind == "long" ? "--\($0.name)" : "-\($0.name)" }) ?? spellings.first else { continue }
                for spelling in spellings {
                    takingValues[spelling] = Option(name: preferred, repeatable: argument.isRepeating)
                }
            }
        }

        /// What this needs of ArgumentParser's JSON description of a command (`ToolInfoV0`).
        private struct Tool: Decodable {
            struct Command: Decodable {
                let arguments: [Argument]?
            }
            struct Argument: Decodable {
                struct Name: Decodable {
                    let kind: String
                    let name: String
                }
                let kind: String
                let isRepeating: Bool
                let names: [Name]?
                let preferredName: Name?
            }
            let command: Command
        }
    }
}
