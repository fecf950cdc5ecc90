/// Mustache templates, compiled into the binary so `opora` works when copied alone (no resource
/// bundle). `{{x}}` escapes HTML; `{{{content}}}` is used only for the page body the layout wraps,
/// which was itself rendered from a template. Both languages are in the templates: `{{#ru}}…{{/ru}}`
/// and `{{^ru}}…{{/ru}}`.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "password": password, "error": error,
        "audit": audit, "users": users,
    ].merging(dashboardPages) { own, _ in own }.merging(identificationPages) { own, _ in own }.merging(schoolPages) { own, _ in own }
        .merging(registryPages) { own, _ in own }.merging(uploadPages) { own, _ in own }.merging(planPages) { own, _ in own }

    static let layout = """
        <!doctype html>
        <html lang="{{lang}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} — Opora</title>
        <style>
        body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
        header{background:#1f4e79;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;justify-content:space-between;align-items:center;flex-wrap:wrap}
        header a,header button.link{color:#fff}
        nav a{margin-right:1rem}
        main{padding:1rem 1.5rem;max-width:1200px}
        table{border-collapse:collapse;background:#fff;width:100%}
        th,td{border-bottom:1px solid #d9dee4;padding:.35rem .6rem;text-align:left;vertical-align:top}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        form.inline{display:inline}
        button.link{background:none;border:none;padding:0;font:inherit;text-decoration:underline;cursor:pointer}
        label{display:block;margin:.6rem 0 .2rem}
        input,select{font:inherit;padding:.3rem;max-width:100%}
        textarea{max-width:100%;font:inherit}
        .cols>*{min-width:0}
        .error{color:#9b1c1c;background:#fde8e8;padding:.5rem .8rem;border-left:4px solid #9b1c1c}
        .notice{background:#e6f4ea;padding:.5rem .8rem;border-left:4px solid #1e7b34}
        a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0b429;outline-offset:1px}
        .cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
        table.compact{width:auto;margin:.5rem 0}
        .filters{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:flex-end}
        .filters label{margin:0}
        .tag{display:inline-block;padding:0 .35rem;border-radius:3px;font-size:.85em;border:1px solid #555;background:#fff;margin:1px 0}
        .tag-low_results{border-color:#9b1c1c;color:#9b1c1c}
        .tag-social_risk{border-color:#1f4e79;color:#1f4e79}
        .tag-resource_deficit{border-color:#7a4a00;color:#7a4a00}
        .tag-non_objective{border-color:#5b2a86;color:#5b2a86;border-style:dashed}
        th a{color:inherit}
        svg{max-width:100%;height:auto}svg.chart{max-width:640px;display:block}
        section{margin-bottom:1.2rem}
        .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        ul.counts{display:flex;gap:1.2rem;list-style:none;padding:0;flex-wrap:wrap}
        ul.evidence{margin:0;padding-left:1rem}
        pre.error{white-space:pre-wrap;font:inherit}
        fieldset{border:1px solid #d9dee4;margin:.6rem 0}
        fieldset.question label{display:inline-block;margin:0 1.5rem 0 0}
        .answer-level.risk-high{border-left:4px solid #9b1c1c;padding-left:.4rem}.answer-level.risk-medium{border-left:4px solid #b7791f;padding-left:.4rem}
        .late,.status-late .status{color:#9b1c1c}
        .status-done .status{color:#1e7b34}
        .light{padding:0 .4rem;border-radius:3px;border:1px solid #555}
        .light-green{background:#e6f4ea}.light-amber{background:#fff4d6}.light-red{background:#fde8e8;font-weight:bold}
        .risk-high td:first-child{border-left:4px solid #9b1c1c}.risk-medium td:first-child{border-left:4px solid #b7791f}
        .comment{background:#f1f4f8;padding:.2rem .4rem;margin:.2rem 0}
        details form{margin:.4rem 0}
        @media print{header,.filters,form{display:none}a{color:inherit;text-decoration:none}main{max-width:none}}
        </style></head>
        <body><header><strong><a href="/">Опора · Opora</a></strong>
        {{#user}}<nav aria-label="{{#ru}}Разделы{{/ru}}{{^ru}}Sections{{/ru}}"><a href="/">{{#ru}}Обзор{{/ru}}{{^ru}}Overview{{/ru}}</a><a href="/identification">{{#ru}}Выявление{{/ru}}{{^ru}}Identification{{/ru}}</a><a href="/registry">{{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</a><a href="/municipal-plans">{{#ru}}Планы{{/ru}}{{^ru}}Plans{{/ru}}</a><a href="/attention">{{#ru}}Требует внимания{{/ru}}{{^ru}}Needs attention{{/ru}}</a>{{#mayUpload}}<a href="/data">{{#ru}}Загрузка данных{{/ru}}{{^ru}}Data upload{{/ru}}</a>{{/mayUpload}}{{#isAdmin}}<a href="/admin/users">{{#ru}}Пользователи{{/ru}}{{^ru}}Users{{/ru}}</a><a href="/admin/audit">{{#ru}}Журнал изменений{{/ru}}{{^ru}}Audit log{{/ru}}</a>{{/isAdmin}}</nav>
        <span>{{login}} ({{roleName}}) · <a href="/account/password">{{#ru}}Сменить пароль{{/ru}}{{^ru}}Change password{{/ru}}</a> ·
        <form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button class="link" type="submit">{{#ru}}Выйти{{/ru}}{{^ru}}Sign out{{/ru}}</button></form></span>{{/user}}
        <span><a href="{{switchRU}}" lang="ru">Русский</a> · <a href="{{switchEN}}" lang="en">English</a></span></header>
        <main>{{{content}}}</main></body></html>
        """

    static let login = """
        <h1>{{#ru}}Вход{{/ru}}{{^ru}}Sign in{{/ru}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <label for="login">{{#ru}}Логин{{/ru}}{{^ru}}Login{{/ru}}</label>
        <input id="login" name="login" value="{{login}}" autocomplete="username" required autofocus>
        <label for="password">{{#ru}}Пароль{{/ru}}{{^ru}}Password{{/ru}}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <p><button type="submit">{{#ru}}Войти{{/ru}}{{^ru}}Sign in{{/ru}}</button></p>
        </form>
        """

    static let password = """
        <h1>{{#ru}}Смена пароля{{/ru}}{{^ru}}Change password{{/ru}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#done}}<p class="notice" role="status">{{#ru}}Пароль изменён. Другие сеансы этой учётной записи завершены.{{/ru}}{{^ru}}Password changed. Other sessions of this account have been signed out.{{/ru}}</p>{{/done}}
        <form method="post" action="/account/password">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="current">{{#ru}}Текущий пароль{{/ru}}{{^ru}}Current password{{/ru}}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required>
        <label for="new">{{#ru}}Новый пароль (не короче 8 символов){{/ru}}{{^ru}}New password (at least 8 characters){{/ru}}</label>
        <input id="new" name="new" type="password" autocomplete="new-password" required minlength="8">
        <label for="repeat">{{#ru}}Новый пароль ещё раз{{/ru}}{{^ru}}New password again{{/ru}}</label>
        <input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="8">
        <p><button type="submit">{{#ru}}Сменить пароль{{/ru}}{{^ru}}Change password{{/ru}}</button></p>
        </form>
        """

    static let error = """
        <h1>{{#ru}}Ошибка{{/ru}}{{^ru}}Error{{/ru}} {{status}}</h1>
        <p>{{message}}</p>
        <p><a href="/">{{#ru}}На главную{{/ru}}{{^ru}}Home{{/ru}}</a></p>
        """

    static let audit = """
        <h1>{{#ru}}Журнал изменений{{/ru}}{{^ru}}Audit log{{/ru}}</h1>
        <p>{{summary}}</p>
        <table><thead><tr><th>{{#ru}}Когда (UTC){{/ru}}{{^ru}}When (UTC){{/ru}}</th><th>{{#ru}}Кто{{/ru}}{{^ru}}Who{{/ru}}</th><th>{{#ru}}Действие{{/ru}}{{^ru}}Action{{/ru}}</th><th>{{#ru}}Объект{{/ru}}{{^ru}}Entity{{/ru}}</th><th>{{#ru}}Было{{/ru}}{{^ru}}Before{{/ru}}</th><th>{{#ru}}Стало{{/ru}}{{^ru}}After{{/ru}}</th></tr></thead><tbody>
        {{#entries}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{entity}} {{entityID}}</td><td><code>{{before}}</code></td><td><code>{{after}}</code></td></tr>
        {{/entries}}</tbody></table>
        """

    static let users = """
        <h1>{{#ru}}Пользователи{{/ru}}{{^ru}}Users{{/ru}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#created}}<p class="notice" role="status">{{#ru}}Учётная запись создана:{{/ru}}{{^ru}}Account created:{{/ru}} {{created}}</p>{{/created}}
        {{#changed}}<p class="notice" role="status">{{#ru}}Сохранено:{{/ru}}{{^ru}}Saved:{{/ru}} {{changed}}</p>{{/changed}}
        <p>{{summary}}</p>
        <table><thead><tr><th>{{#ru}}Логин{{/ru}}{{^ru}}Login{{/ru}}</th><th>{{#ru}}Роль{{/ru}}{{^ru}}Role{{/ru}}</th><th>{{#ru}}Территория{{/ru}}{{^ru}}Territory{{/ru}}</th><th>{{#ru}}Состояние{{/ru}}{{^ru}}State{{/ru}}</th><th>{{#ru}}Создана{{/ru}}{{^ru}}Created{{/ru}}</th></tr></thead><tbody>
        {{#users}}<tr id="user-{{login}}"><td>{{login}}</td><td>{{role}}</td><td>{{territory}}{{#isCurator}}{{#staffSchool}}<br><small>{{#ru}}работает в школе{{/ru}}{{^ru}}works at school{{/ru}} {{staffSchool}}</small>{{/staffSchool}}
        <details><summary>{{#ru}}Школы и место работы{{/ru}}{{^ru}}Schools and place of work{{/ru}}</summary>
        <form method="post" action="/admin/users/{{login}}/curator"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="schools-{{login}}">{{#ru}}Курирует (коды школ через запятую){{/ru}}{{^ru}}Curates (school codes, comma-separated){{/ru}}</label><input id="schools-{{login}}" name="schools" value="{{schools}}">
        <label for="staff-{{login}}">{{#ru}}Работает в школе (код; пусто — не в школе){{/ru}}{{^ru}}Works at school (code; empty: not at a school){{/ru}}</label><input id="staff-{{login}}" name="staff_school" value="{{staffSchool}}" size="8">
        <button type="submit">{{#ru}}Сохранить{{/ru}}{{^ru}}Save{{/ru}}</button></form></details>{{/isCurator}}</td><td>{{state}}</td><td>{{created}}</td></tr>
        {{/users}}</tbody></table>
        <h2>{{#ru}}Новая учётная запись{{/ru}}{{^ru}}New account{{/ru}}</h2>
        <form method="post" action="/admin/users">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="login">{{#ru}}Логин{{/ru}}{{^ru}}Login{{/ru}}</label><input id="login" name="login" required>
        <label for="role">{{#ru}}Роль{{/ru}}{{^ru}}Role{{/ru}}</label>
        <select id="role" name="role">{{#roles}}<option value="{{value}}">{{name}}</option>{{/roles}}</select>
        <label for="territory">{{#ru}}Территория: регион, муниципалитет или код школы; для куратора — коды школ через запятую{{/ru}}{{^ru}}Territory: a region, a municipality or a school code; for a curator, school codes separated by commas{{/ru}}</label>
        <input id="territory" name="territory">
        <label for="staff_school">{{#ru}}Для куратора: код школы, в которой он работает (её он курировать не сможет){{/ru}}{{^ru}}For a curator: the code of the school they work at (they cannot curate it){{/ru}}</label>
        <input id="staff_school" name="staff_school" size="8">
        <label for="password">{{#ru}}Пароль (не короче 8 символов){{/ru}}{{^ru}}Password (at least 8 characters){{/ru}}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
        <p><button type="submit">{{#ru}}Создать{{/ru}}{{^ru}}Create{{/ru}}</button></p>
        </form>
        """
}
