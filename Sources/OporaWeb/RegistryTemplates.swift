/// The registry pages (see `RegistryPages`).
extension Templates {
    static let registryPages: [String: String] = [
        "registry": registry, "registryEntry": registryEntry, "registryInclude": registryInclude,
    ]

    static let registry = """
        <h1>{{#ru}}Реестр школ, получающих поддержку{{/ru}}{{^ru}}Registry of supported schools{{/ru}}</h1>
        <ul aria-label="{{#ru}}По статусам{{/ru}}{{^ru}}By status{{/ru}}">{{#counts}}<li><a href="{{href}}">{{name}}</a>: {{count}}</li>{{/counts}}</ul>
        <form method="get" action="/registry">
        <label for="status">{{#ru}}Статус{{/ru}}{{^ru}}Status{{/ru}}</label>
        <select id="status" name="status"><option value="">{{#ru}}все{{/ru}}{{^ru}}all{{/ru}}</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/statuses}}</select>
        <label for="category">{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</label>
        <select id="category" name="category"><option value="">{{#ru}}все{{/ru}}{{^ru}}all{{/ru}}</option>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categories}}</select>
        <p><button type="submit">{{#ru}}Показать{{/ru}}{{^ru}}Show{{/ru}}</button>{{#filtered}} <a href="/registry">{{#ru}}Сбросить фильтр{{/ru}}{{^ru}}Clear the filter{{/ru}}</a>{{/filtered}}</p>
        </form>
        {{#mayWrite}}<p><a href="/registry/new">{{#ru}}Включить школу в реестр{{/ru}}{{^ru}}Include a school in the registry{{/ru}}</a></p>
        <form method="post" action="/registry/exit-review" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">{{#ru}}Проверить критерии выхода{{/ru}}{{^ru}}Check the exit criteria{{/ru}}</button></form>{{/mayWrite}}
        <p role="status">{{summary}}</p>
        {{#empty}}<p>{{#ru}}Нет школ с такими условиями.{{/ru}}{{^ru}}No schools match.{{/ru}}</p>{{/empty}}
        {{^empty}}<table><thead><tr><th>{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</th><th>{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</th><th>{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</th><th>{{#ru}}Основание{{/ru}}{{^ru}}Reason{{/ru}}</th><th>{{#ru}}Начало{{/ru}}{{^ru}}Start{{/ru}}</th><th>{{#ru}}Ответственный координатор{{/ru}}{{^ru}}Responsible coordinator{{/ru}}</th><th>{{#ru}}Статус{{/ru}}{{^ru}}Status{{/ru}}</th><th>{{#ru}}Последнее изменение (UTC){{/ru}}{{^ru}}Last change (UTC){{/ru}}</th></tr></thead><tbody>
        {{#entries}}<tr><td><a href="{{href}}">{{name}}</a> ({{id}})</td><td>{{municipality}}</td><td>{{category}}</td><td>{{reason}}</td><td>{{start}}</td><td>{{coordinator}}</td><td>{{status}}</td><td>{{changed}}, {{changedBy}}</td></tr>
        {{/entries}}</tbody></table>{{/empty}}
        """

    static let registryEntry = """
        <p><a href="/registry">← {{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</a></p>
        <h1>{{name}} ({{id}})</h1>
        <dl>
        <dt>{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</dt><dd>{{municipality}}</dd>
        <dt>{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</dt><dd>{{category}}</dd>
        <dt>{{#ru}}Основание{{/ru}}{{^ru}}Reason{{/ru}}</dt><dd>{{reason}}</dd>
        <dt>{{#ru}}Дата начала{{/ru}}{{^ru}}Start date{{/ru}}</dt><dd>{{start}}</dd>
        <dt>{{#ru}}Ответственный координатор{{/ru}}{{^ru}}Responsible coordinator{{/ru}}</dt><dd>{{coordinator}}</dd>
        <dt>{{#ru}}Статус{{/ru}}{{^ru}}Status{{/ru}}</dt><dd><strong>{{status}}</strong></dd>
        <dt>{{#ru}}Последнее изменение (UTC){{/ru}}{{^ru}}Last change (UTC){{/ru}}</dt><dd>{{changed}}, {{changedBy}}</dd>
        </dl>
        {{#error}}<p class="error" role="alert" id="status-error">{{error}}</p>{{/error}}
        {{#mayWrite}}
        {{#hasNext}}<h2>{{#ru}}Сменить статус{{/ru}}{{^ru}}Change the status{{/ru}}</h2>
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="new-status">{{#ru}}Новый статус{{/ru}}{{^ru}}New status{{/ru}}</label>
        <select id="new-status" name="status" required{{#error}} aria-describedby="status-error"{{/error}}>{{#next}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/next}}</select>
        <label for="note">{{#ru}}Комментарий{{/ru}}{{^ru}}Note{{/ru}}</label>
        <textarea id="note" name="note" rows="3" cols="60">{{note}}</textarea>
        <p><button type="submit">{{#ru}}Сохранить{{/ru}}{{^ru}}Save{{/ru}}</button></p>
        </form>{{/hasNext}}
        {{#exited}}<p><a href="{{includeHref}}">{{#ru}}Включить в реестр снова{{/ru}}{{^ru}}Include in the registry again{{/ru}}</a></p>{{/exited}}
        {{/mayWrite}}
        <h2>{{#ru}}История{{/ru}}{{^ru}}History{{/ru}}</h2>
        <table><thead><tr><th>{{#ru}}Когда (UTC){{/ru}}{{^ru}}When (UTC){{/ru}}</th><th>{{#ru}}Кто{{/ru}}{{^ru}}Who{{/ru}}</th><th>{{#ru}}Что изменилось{{/ru}}{{^ru}}What changed{{/ru}}</th><th>{{#ru}}Комментарий{{/ru}}{{^ru}}Note{{/ru}}</th></tr></thead><tbody>
        {{#history}}<tr><td>{{at}}</td><td>{{by}}</td><td>{{what}}</td><td>{{note}}</td></tr>
        {{/history}}</tbody></table>
        """

    static let registryInclude = """
        <p><a href="/registry">← {{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</a></p>
        <h1>{{#ru}}Включение школы в реестр{{/ru}}{{^ru}}Including a school in the registry{{/ru}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/registry/new">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#school}}<p>{{name}} ({{id}}), {{municipality}}</p><input type="hidden" name="school" value="{{id}}">{{/school}}
        {{^school}}<label for="school">{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</label>
        <select id="school" name="school" required>{{#choices}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}} ({{id}}), {{municipality}}</option>{{/choices}}</select>{{/school}}
        <label for="category">{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</label>
        <select id="category" name="category" required>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categories}}</select>
        <label for="reason">{{#ru}}Основание включения{{/ru}}{{^ru}}Reason{{/ru}}</label>
        <input id="reason" name="reason" value="{{reason}}" size="60" required>
        <label for="start_date">{{#ru}}Дата начала{{/ru}}{{^ru}}Start date{{/ru}}</label>
        <input id="start_date" name="start_date" type="date" value="{{startDate}}" required>
        <label for="coordinator">{{#ru}}Ответственный координатор{{/ru}}{{^ru}}Responsible coordinator{{/ru}}</label>
        <input id="coordinator" name="coordinator" value="{{coordinator}}" required>
        <label for="note">{{#ru}}Комментарий{{/ru}}{{^ru}}Note{{/ru}}</label>
        <textarea id="note" name="note" rows="3" cols="60">{{note}}</textarea>
        <p><button type="submit">{{#ru}}Включить в реестр{{/ru}}{{^ru}}Include in the registry{{/ru}}</button></p>
        </form>
        """
}
