import Foundation
import Testing
@testable import OporaWeb

/// Issue 18: page templates are files a designer can open, every one compiled in, and every address
/// a page links or posts to — written in a template or built by `SiteURL` — is a route the router has.
@Suite("Views and addresses")
struct ViewTests {
    static let viewsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/OporaWeb/Views").standardizedFileURL

    @Test func everyTemplateFileIsAViewAndEveryViewAFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.viewsFolder.path)
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        #expect(Set(files) == Set(View.allCases.map(\.rawValue)))
        for view in View.allCases {
            let onDisk = try String(contentsOf: Self.viewsFolder.appendingPathComponent(view.rawValue + ".mustache"), encoding: .utf8)
            #expect(String(decoding: view.source, as: UTF8.self) == onDisk, "\(view) is not the file's text: rebuild")
        }
        _ = View.library  // every template parses (a syntax error traps here)
    }

    /// `/schools/{id}/plan` matches `/schools/0123/plan`; the query and the fragment are not the route's.
    static func routes(_ path: String) -> [String] {
        let bare = String(path.prefix { $0 != "?" && $0 != "#" })
        let segments = bare.split(separator: "/", omittingEmptySubsequences: false)
        return RoutePolicy.table.keys.filter { key in
            let pattern = key.split(separator: " ", maxSplits: 1)[1].split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == segments.count && zip(pattern, segments).allSatisfy { p, s in
                (p.hasPrefix("{") && !s.isEmpty) || p == s
            }
        }.sorted()
    }

    @Test func everyAddressWrittenInATemplateIsARoute() throws {
        let attribute = try Regex(#"(href|action)="(/[^"]*)""#)
        var checked = 0
        for view in View.allCases {
            let text = String(decoding: view.source, as: UTF8.self)
            for match in text.matches(of: attribute) {
                let address = String(match.output[2].substring!)
                // Addresses with a value in them come from the model, built by SiteURL (the next test).
                #expect(!address.contains("{{"), "\(view): \(address) — build it with SiteURL")
                guard !address.contains("{{") else { continue }
                #expect(!Self.routes(address).isEmpty, "\(view): \(address) is no route")
                checked += 1
            }
        }
        #expect(checked > 20)
        #expect(Self.routes("/nowhere").isEmpty)  // the check can fail
    }

    @Test func everySiteURLIsARoute() {
        for url in Self.samples {
            #expect(!Self.routes(url.path).isEmpty, "\(url) → \(url.path) is no route")
            _ = Self.covered(url)
        }
        #expect(SiteURL.school("01 23/4").path == "/schools/01%2023%2F4")
        #expect(SiteURL.registryNew(school: "a&b").path == "/registry/new?school=a%26b")
        #expect(SiteURL.runCSV(3).with(query: "") == "/identification/runs/3/csv")
        #expect(SiteURL.runCSV(3).with(query: "q=x") == "/identification/runs/3/csv?q=x")
        #expect(SiteURL.schoolPlan("7").at("risks") == "/schools/7/plan#risks")
    }

    static let samples: [SiteURL] = [
        .home, .attention, .identification, .compare, .runIdentification, .registry, .municipalPlans, .data, .upload,
        .signIn, .signOut, .password, .users, .audit,
        .school("1"), .schoolPlan("1"), .diagnosis("1"), .questionnaire("1"), .riskProfile("1"), .schoolProgrammes("1"),
        .run(1), .runCSV(1), .runXLSX(1),
        .registryEntry("1"), .registryNew(school: nil), .registryNew(school: "1"), .registryStatus("1"), .registryWithStatus("included"), .exitReview,
        .programme(1), .roadmapXLSX(1), .programmeMeasures(1), .programmeIndicators(1),
        .measureUpdate(1), .measureFiles(1), .measureComments(1), .indicatorValues(1),
        .municipalProgrammes, .pairs, .mentors, .events,
        .file(1), .confirmUpload("abc"), .curator(login: "k"),
    ]

    /// No `default`: a new case does not compile here until it is added to `samples`.
    static func covered(_ url: SiteURL) -> Bool {
        switch url {
        case .home, .attention, .identification, .compare, .runIdentification, .registry, .municipalPlans, .data, .upload,
             .signIn, .signOut, .password, .users, .audit, .school, .schoolPlan, .diagnosis, .questionnaire, .riskProfile,
             .schoolProgrammes, .run, .runCSV, .runXLSX, .registryEntry, .registryNew, .registryStatus, .registryWithStatus,
             .exitReview, .programme, .roadmapXLSX, .programmeMeasures, .programmeIndicators, .measureUpdate, .measureFiles,
             .measureComments, .indicatorValues, .municipalProgrammes, .pairs, .mentors, .events, .file, .confirmUpload, .curator:
            true
        }
    }
}
