import Mustache

/// A page template: a Mustache file in `Views/` that a designer can open, compiled into the binary
/// (SwiftPM `embedInCode`) so `opora` works when copied alone. `{{x}}` escapes HTML; `{{{x}}}` is
/// used only for HTML that was itself rendered from a template or a chart. Both languages are in the
/// files: `{{#ru}}…{{/ru}}` and `{{^ru}}…{{/ru}}`. A test checks that every file has a case and
/// that every link in a file goes to a route the router has.
enum View: String, CaseIterable, Sendable {
    case attention, audit, compare, dashboard, dashboardFigures, dashboardFilters, dashboardHead,
         dashboardProgrammes, diagnosis, error, exitReview, layout, login, municipalPlans, password, plan,
         programme, questionnaire, registry, registryEntry, registryInclude, run, runs, school, schoolData,
         upload, uploadDone, uploadPreview, uploadProblems, users

    var source: [UInt8] {
        switch self {
        case .attention: PackageResources.attention_mustache
        case .audit: PackageResources.audit_mustache
        case .compare: PackageResources.compare_mustache
        case .dashboard: PackageResources.dashboard_mustache
        case .dashboardFigures: PackageResources.dashboardFigures_mustache
        case .dashboardFilters: PackageResources.dashboardFilters_mustache
        case .dashboardHead: PackageResources.dashboardHead_mustache
        case .dashboardProgrammes: PackageResources.dashboardProgrammes_mustache
        case .diagnosis: PackageResources.diagnosis_mustache
        case .error: PackageResources.error_mustache
        case .exitReview: PackageResources.exitReview_mustache
        case .layout: PackageResources.layout_mustache
        case .login: PackageResources.login_mustache
        case .municipalPlans: PackageResources.municipalPlans_mustache
        case .password: PackageResources.password_mustache
        case .plan: PackageResources.plan_mustache
        case .programme: PackageResources.programme_mustache
        case .questionnaire: PackageResources.questionnaire_mustache
        case .registry: PackageResources.registry_mustache
        case .registryEntry: PackageResources.registryEntry_mustache
        case .registryInclude: PackageResources.registryInclude_mustache
        case .run: PackageResources.run_mustache
        case .runs: PackageResources.runs_mustache
        case .school: PackageResources.school_mustache
        case .schoolData: PackageResources.schoolData_mustache
        case .upload: PackageResources.upload_mustache
        case .uploadDone: PackageResources.uploadDone_mustache
        case .uploadPreview: PackageResources.uploadPreview_mustache
        case .uploadProblems: PackageResources.uploadProblems_mustache
        case .users: PackageResources.users_mustache
        }
    }

    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for view in View.allCases {
            // The templates are constants of this binary: a syntax error is a programming error.
            // The file's final newline is the editor's, not the page's.
            var text = String(decoding: view.source, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            templates[view.rawValue] = try! MustacheTemplate(string: text)
        }
        return MustacheLibrary(templates: templates)
    }()
}
