/// The data upload pages (see `UploadPages`).
extension Templates {
    static let uploadPages: [String: String] = [
        "upload": upload, "uploadProblems": uploadProblems, "uploadPreview": uploadPreview, "uploadDone": uploadDone,
    ]

    static let upload = """
        <h1>{{#ru}}Загрузка данных{{/ru}}{{^ru}}Data upload{{/ru}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p>{{#ru}}Файлы обмена (schools, context, tasks, results, results_school) проверяются так же, как командой <code>opora import</code>. Сначала показывается, что будет записано, и ничего не записывается до подтверждения.{{/ru}}{{^ru}}Interchange files (schools, context, tasks, results, results_school) are checked as <code>opora import</code> checks them. You first see what will be written; nothing is written until you confirm.{{/ru}}</p>
        {{#municipality}}<p>{{#ru}}Можно загружать данные только о школах муниципалитета «{{municipality}}».{{/ru}}{{^ru}}You may upload data only about the schools of «{{municipality}}».{{/ru}}</p>{{/municipality}}
        <form method="post" action="/data/upload" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="files">{{#ru}}Файлы .csv, .txt или .xlsx{{/ru}}{{^ru}}Files: .csv, .txt or .xlsx{{/ru}}</label>
        <input id="files" name="files" type="file" multiple required accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="files-hint">
        <p id="files-hint">{{#ru}}Чтобы загрузить папку, выберите все её файлы сразу (Ctrl+A в окне выбора). Не больше {{limit}} МБ за одну загрузку.{{/ru}}{{^ru}}To upload a folder, select all its files at once (Ctrl+A in the file dialog). At most {{limit}} MB per upload.{{/ru}}</p>
        <p><button type="submit">{{#ru}}Проверить{{/ru}}{{^ru}}Check{{/ru}}</button></p>
        </form>
        <h2>{{#ru}}История загрузок{{/ru}}{{^ru}}Import history{{/ru}}</h2>
        {{#noImports}}<p>{{#ru}}Данные ещё не загружались.{{/ru}}{{^ru}}No data has been imported yet.{{/ru}}</p>{{/noImports}}
        {{^noImports}}<table><thead><tr><th>{{#ru}}Когда (UTC){{/ru}}{{^ru}}When (UTC){{/ru}}</th><th>{{#ru}}Кто{{/ru}}{{^ru}}Who{{/ru}}</th><th>{{#ru}}Файлы{{/ru}}{{^ru}}Files{{/ru}}</th><th>{{#ru}}Записано{{/ru}}{{^ru}}Written{{/ru}}</th></tr></thead><tbody>
        {{#imports}}<tr><td>{{at}}</td><td>{{by}}</td><td>{{source}}</td><td>{{counts}}</td></tr>
        {{/imports}}</tbody></table>{{/noImports}}
        """

    static let uploadProblems = """
        <h1>{{#ru}}Ошибки в файлах{{/ru}}{{^ru}}Problems in the files{{/ru}}</h1>
        <p class="error" role="alert">{{verdict}}</p>
        <table><thead><tr><th>{{#ru}}Файл{{/ru}}{{^ru}}File{{/ru}}</th><th>{{#ru}}Строка{{/ru}}{{^ru}}Row{{/ru}}</th><th>{{#ru}}Столбец{{/ru}}{{^ru}}Column{{/ru}}</th><th>{{#ru}}Проблема{{/ru}}{{^ru}}Problem{{/ru}}</th></tr></thead><tbody>
        {{#problems}}<tr><td>{{file}}</td><td class="num">{{row}}</td><td>{{column}}</td><td>{{message}}<br><span lang="{{otherLang}}">{{other}}</span></td></tr>
        {{/problems}}</tbody></table>
        <p><a href="/data">{{#ru}}Исправить файлы и загрузить снова{{/ru}}{{^ru}}Fix the files and upload again{{/ru}}</a></p>
        """

    static let uploadPreview = """
        <h1>{{#ru}}Проверка пройдена{{/ru}}{{^ru}}Check passed{{/ru}}</h1>
        <p role="status">{{#ru}}Ничего ещё не записано. Будет записано:{{/ru}}{{^ru}}Nothing has been written yet. To be written:{{/ru}} {{summary}}</p>
        {{#replaced}}<p class="notice">{{replaced}}</p>{{/replaced}}
        <table><thead><tr><th>{{#ru}}Файл{{/ru}}{{^ru}}File{{/ru}}</th><th>{{#ru}}Вид{{/ru}}{{^ru}}Kind{{/ru}}</th><th>{{#ru}}Строк{{/ru}}{{^ru}}Rows{{/ru}}</th></tr></thead><tbody>
        {{#files}}<tr><td>{{name}}</td><td>{{kind}}</td><td class="num">{{rows}}</td></tr>
        {{/files}}</tbody></table>
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="submit">{{#ru}}Подтвердить импорт{{/ru}}{{^ru}}Confirm import{{/ru}}</button> <a href="/data">{{#ru}}Отмена{{/ru}}{{^ru}}Cancel{{/ru}}</a></p>
        </form>
        <p>{{#ru}}Загруженные файлы хранятся час; потом их нужно загрузить снова.{{/ru}}{{^ru}}The uploaded files are kept for an hour; after that, upload them again.{{/ru}}</p>
        """

    static let uploadDone = """
        <h1>{{#ru}}Данные загружены{{/ru}}{{^ru}}Data imported{{/ru}}</h1>
        <p class="notice" role="status">{{summary}}</p>
        {{#replaced}}<p>{{replaced}}</p>{{/replaced}}
        <p><a href="/data">{{#ru}}К загрузке данных{{/ru}}{{^ru}}Back to data upload{{/ru}}</a> · <a href="/">{{#ru}}К школам{{/ru}}{{^ru}}To the schools{{/ru}}</a></p>
        """
}
