extension Templates {
    static let identificationPages: [String: String] = ["runs": runs, "run": run, "compare": compare]

    static let runs = """
        <h1>{{#ru}}Выявление школ{{/ru}}{{^ru}}Identification of schools{{/ru}}</h1>
        {{#error}}<pre class="error" role="alert">{{error}}</pre>{{/error}}
        {{#canRun}}<section aria-labelledby="run-h"><h2 id="run-h">{{#ru}}Новый запуск{{/ru}}{{^ru}}New run{{/ru}}</h2>
        <form method="post" action="/identification/run">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="year">{{#ru}}Год анализа{{/ru}}{{^ru}}Analysis year{{/ru}}</label>
        <select id="year" name="year">{{#years}}<option>{{year}}</option>{{/years}}</select>
        <fieldset><legend>{{#ru}}Набор правил{{/ru}}{{^ru}}Rule set{{/ru}}</legend>
        <label><input type="radio" name="rules" value="default" checked> {{#ru}}по умолчанию (docs/identification.md){{/ru}}{{^ru}}the default set (docs/identification.md){{/ru}}</label>
        {{#ruleSets}}<label><input type="radio" name="rules" value="{{digest}}"> {{name}}</label>{{/ruleSets}}
        <label><input type="radio" name="rules" value="pasted"{{#rulesText}} checked{{/rulesText}}> {{#ru}}свой набор (YAML или JSON):{{/ru}}{{^ru}}my own set (YAML or JSON):{{/ru}}</label>
        <label for="rules_text" class="sr-only">{{#ru}}Текст набора правил{{/ru}}{{^ru}}Rule set text{{/ru}}</label>
        <textarea id="rules_text" name="rules_text" rows="6" cols="70" spellcheck="false">{{rulesText}}</textarea>
        </fieldset>
        <p><button type="submit">{{#ru}}Запустить выявление{{/ru}}{{^ru}}Run identification{{/ru}}</button></p>
        </form></section>{{/canRun}}
        <section aria-labelledby="runs-h"><h2 id="runs-h">{{#ru}}Запуски{{/ru}}{{^ru}}Runs{{/ru}}</h2>
        {{^hasRuns}}<p>{{#ru}}Запусков пока нет.{{/ru}}{{^ru}}No runs yet.{{/ru}}</p>{{/hasRuns}}
        {{#hasRuns}}<table id="runs"><thead><tr><th>№</th><th>{{#ru}}Год{{/ru}}{{^ru}}Year{{/ru}}</th><th>{{#ru}}Набор правил{{/ru}}{{^ru}}Rule set{{/ru}}</th><th>{{#ru}}Отпечаток данных{{/ru}}{{^ru}}Data digest{{/ru}}</th><th>{{#ru}}Когда (UTC){{/ru}}{{^ru}}When (UTC){{/ru}}</th><th>{{#ru}}Кто{{/ru}}{{^ru}}Who{{/ru}}</th><th>{{#ru}}В вашей территории{{/ru}}{{^ru}}In your territory{{/ru}}</th></tr></thead><tbody>
        {{#runs}}<tr><td><a href="/identification/runs/{{id}}">№{{id}}</a></td><td>{{year}}</td><td>{{rules}} <code>{{digest}}</code></td><td><code>{{data}}</code></td><td>{{created}}</td><td>{{by}}</td><td>{{flagged}}</td></tr>
        {{/runs}}</tbody></table>{{/hasRuns}}
        {{#canCompare}}<form method="get" action="/identification/compare" class="filters">
        <label for="cmp-a">{{#ru}}Сравнить запуск{{/ru}}{{^ru}}Compare run{{/ru}}</label><select id="cmp-a" name="a">{{#compareOptions}}<option value="{{id}}">{{label}}</option>{{/compareOptions}}</select>
        <label for="cmp-b">{{#ru}}с запуском{{/ru}}{{^ru}}with run{{/ru}}</label><select id="cmp-b" name="b">{{#compareOptions}}<option value="{{id}}">{{label}}</option>{{/compareOptions}}</select>
        <button type="submit">{{#ru}}Сравнить{{/ru}}{{^ru}}Compare{{/ru}}</button></form>{{/canCompare}}
        </section>
        """

    static let run = """
        <h1>{{#ru}}Выявление № {{id}}, {{year}} год{{/ru}}{{^ru}}Identification #{{id}}, {{year}}{{/ru}}</h1>
        <p>{{#ru}}Набор правил{{/ru}}{{^ru}}Rule set{{/ru}} <strong>{{rules}}</strong> <code title="{{#ru}}отпечаток правил{{/ru}}{{^ru}}rules digest{{/ru}}">{{rulesDigest}}</code>;
        {{#ru}}данные{{/ru}}{{^ru}}data{{/ru}} <code title="{{#ru}}отпечаток данных{{/ru}}{{^ru}}data digest{{/ru}}">{{dataDigest}}</code>; {{created}}, {{by}}.</p>
        <p>{{summary}}</p>
        <ul class="counts">{{#counts}}<li><a href="{{link}}"><span class="tag tag-{{code}}">{{name}}</span></a>: <strong>{{count}}</strong></li>{{/counts}}</ul>
        <form method="get" class="filters" role="search">
        <label for="f-c">{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</label><select id="f-c" name="category"><option value="">{{#ru}}любая{{/ru}}{{^ru}}any{{/ru}}</option>{{#categoryOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categoryOptions}}</select>
        <label for="f-k">{{#ru}}Критерий{{/ru}}{{^ru}}Criterion{{/ru}}</label><select id="f-k" name="criterion"><option value="">{{#ru}}любой{{/ru}}{{^ru}}any{{/ru}}</option>{{#criterionOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/criterionOptions}}</select>
        <label for="f-m">{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</label><select id="f-m" name="municipality"><option value="">{{#ru}}все{{/ru}}{{^ru}}all{{/ru}}</option>{{#municipalityOptions}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/municipalityOptions}}</select>
        <label for="f-q">{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</label><input id="f-q" name="q" type="search" value="{{q}}">
        <label><input type="checkbox" name="show" value="all"{{#showAll}} checked{{/showAll}}> {{#ru}}и школы без категорий{{/ru}}{{^ru}}and schools without a category{{/ru}}</label>
        <button type="submit">{{#ru}}Показать{{/ru}}{{^ru}}Show{{/ru}}</button>
        </form>
        <p role="status">{{shownCount}} · <a href="{{csvLink}}" download>{{#ru}}Скачать CSV{{/ru}}{{^ru}}Download CSV{{/ru}}</a> · <a href="{{xlsxLink}}" download>Excel</a></p>
        <table id="run-schools"><thead><tr><th>{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</th><th>{{#ru}}Категории{{/ru}}{{^ru}}Categories{{/ru}}</th><th>{{#ru}}Основания{{/ru}}{{^ru}}Evidence{{/ru}}</th><th>{{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</th></tr></thead><tbody>
        {{#schools}}<tr><td><a href="/schools/{{id}}">{{name}}</a><br><small>{{id}} · {{municipality}}</small></td>
        <td>{{#categories}}<span class="tag tag-{{code}}">{{name}}</span> {{/categories}}</td>
        <td><ul class="evidence">{{#flags}}<li><strong>{{title}}</strong>{{#strength}} ({{strength}}){{/strength}}: {{text}}</li>{{/flags}}</ul>{{#notEnough}}<small>{{#ru}}Недостаточно данных по критериям:{{/ru}}{{^ru}}Not enough data for criteria:{{/ru}} {{notEnough}}</small>{{/notEnough}}{{#valueAdded}}<br><small class="value-added">{{valueAdded}}</small>{{/valueAdded}}</td>
        <td>{{registry}}{{#canInclude}}<a href="/registry/new?school={{id}}">{{#ru}}Включить в реестр{{/ru}}{{^ru}}Include in the registry{{/ru}}</a>{{/canInclude}}</td></tr>
        {{/schools}}</tbody></table>
        """

    static let compare = """
        <h1>{{#ru}}Сравнение запусков{{/ru}}{{^ru}}Runs compared{{/ru}}</h1>
        <p>{{#a}}<a href="/identification/runs/{{id}}">№{{id}}</a> ({{year}}, {{rules}}, {{created}}){{/a}} → {{#b}}<a href="/identification/runs/{{id}}">№{{id}}</a> ({{year}}, {{rules}}, {{created}}){{/b}}</p>
        <table class="compact"><thead><tr><th>{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</th><th class="num">{{#ru}}Было{{/ru}}{{^ru}}Before{{/ru}}</th><th class="num">{{#ru}}Стало{{/ru}}{{^ru}}After{{/ru}}</th><th class="num">{{#ru}}Остались{{/ru}}{{^ru}}Stayed{{/ru}}</th><th class="num">{{#ru}}Вошли{{/ru}}{{^ru}}Entered{{/ru}}</th><th class="num">{{#ru}}Вышли{{/ru}}{{^ru}}Left{{/ru}}</th></tr></thead><tbody>
        {{#sections}}<tr><td>{{name}}</td><td class="num">{{before}}</td><td class="num">{{after}}</td><td class="num">{{stayed}}</td><td class="num">{{enteredCount}}</td><td class="num">{{leftCount}}</td></tr>{{/sections}}
        </tbody></table>
        {{#sections}}<section><h2>{{name}}</h2>
        <div class="cols"><div><h3>{{#ru}}Вошли{{/ru}}{{^ru}}Entered{{/ru}} ({{enteredCount}})</h3><ul class="entered">{{#entered}}<li><a href="/schools/{{id}}">{{name}}</a> <small>{{id}}, {{municipality}}</small></li>{{/entered}}</ul></div>
        <div><h3>{{#ru}}Вышли{{/ru}}{{^ru}}Left{{/ru}} ({{leftCount}})</h3><ul class="left">{{#left}}<li><a href="/schools/{{id}}">{{name}}</a> <small>{{id}}, {{municipality}}</small></li>{{/left}}</ul></div></div>
        </section>{{/sections}}
        """
}
