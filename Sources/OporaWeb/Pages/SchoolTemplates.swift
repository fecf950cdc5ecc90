extension Templates {
    static let schoolPages: [String: String] = ["school": school, "schoolData": schoolData]

    /// Results, the procedure in detail and the context: rendered once per data version (SchoolPage).
    static let schoolData = """
        <section id="results" aria-labelledby="results-h"><h2 id="results-h">{{#ru}}Результаты{{/ru}}{{^ru}}Results{{/ru}} {{latestYear}}</h2>
        {{^hasResults}}<p>{{#ru}}Результатов нет.{{/ru}}{{^ru}}No results.{{/ru}}</p>{{/hasResults}}
        {{#hasResults}}<table id="results-table"><thead><tr><th>{{#ru}}Процедура{{/ru}}{{^ru}}Procedure{{/ru}}</th><th class="num">{{#ru}}Участников{{/ru}}{{^ru}}Participants{{/ru}}</th><th class="num">{{#ru}}Средняя отметка{{/ru}}{{^ru}}Mean mark{{/ru}}</th><th class="num">{{#ru}}«2»{{/ru}}{{^ru}}«2»{{/ru}}</th><th class="num">{{#ru}}«2» в регионе{{/ru}}{{^ru}}«2» in the region{{/ru}}</th><th class="num">{{#ru}}Успеваемость{{/ru}}{{^ru}}Pass{{/ru}}</th><th class="num">{{#ru}}Качество{{/ru}}{{^ru}}Quality{{/ru}}</th><th class="num">{{#ru}}Подтвердили журнальную отметку{{/ru}}{{^ru}}Confirmed the journal mark{{/ru}}</th></tr></thead><tbody>
        {{#results}}<tr><td><a href="?procedure={{key}}#detail">{{name}}</a>{{#source}} <small>({{#ru}}сводные данные школы{{/ru}}{{^ru}}school aggregate{{/ru}})</small>{{/source}}</td><td class="num">{{participants}}</td><td class="num">{{meanMark}}</td><td class="num">{{fail}}</td><td class="num">{{regionFail}}</td><td class="num">{{pass}}</td><td class="num">{{quality}}</td><td class="num">{{confirmed}}</td></tr>
        {{/results}}</tbody></table>
        <form method="get" class="filters" action="#detail"><label for="procedure">{{#ru}}Процедура подробно{{/ru}}{{^ru}}Procedure in detail{{/ru}}</label>
        <select id="procedure" name="procedure">{{#procedureOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/procedureOptions}}</select>
        <button type="submit">{{#ru}}Показать{{/ru}}{{^ru}}Show{{/ru}}</button></form>{{/hasResults}}
        {{#detail}}<div id="detail"><h3>{{name}}</h3>
        <div class="cols">
        <figure>{{{trend}}}</figure>
        <figure>{{{marks}}}</figure>
        {{#journal}}<figure>{{{journal}}}<figcaption>{{#ru}}Расхождение на 2 отметки и более:{{/ru}}{{^ru}}A gap of 2 marks or more:{{/ru}} {{gap2}}</figcaption></figure>{{/journal}}
        {{#histogram}}<figure>{{{histogram}}}</figure>{{/histogram}}
        </div>
        {{#tasks}}<figure>{{{tasks}}}</figure>{{/tasks}}
        {{#valueAdded}}<section aria-labelledby="va-h"><h3 id="va-h">{{#ru}}Добавленная ценность{{/ru}}{{^ru}}Value-added{{/ru}}</h3>
        <p>{{#ru}}Многоуровневая модель: результат тех же учеников в процедуре{{/ru}}{{^ru}}Multilevel model: the same students' result in{{/ru}} «{{prior}}» ({{#ru}}учеников{{/ru}}{{^ru}}students{{/ru}}: {{n}}).
        {{#estimate}}{{#ru}}Оценка школы{{/ru}}{{^ru}}The school's estimate{{/ru}}: <strong>{{estimate}}</strong> {{#ru}}балла, 95% интервал{{/ru}}{{^ru}}points, 95% interval{{/ru}} {{interval}} — <strong>{{band}}</strong>.{{/estimate}}
        {{^estimate}}{{band}}.{{/estimate}}</p>
        <figure>{{{caterpillar}}}<figcaption>{{#ru}}Школы муниципалитета:{{/ru}}{{^ru}}Schools of the municipality:{{/ru}} {{peers}}</figcaption></figure>
        </section>{{/valueAdded}}
        </div>{{/detail}}
        </section>

        <section id="context" aria-labelledby="context-h"><h2 id="context-h">{{#ru}}Контекст{{/ru}}{{^ru}}Context{{/ru}}{{#contextYear}}, {{contextYear}}{{/contextYear}}</h2>
        {{#wellbeing}}<p>{{#ru}}Индекс социального благополучия (ИСБ){{/ru}}{{^ru}}Social well-being index{{/ru}} ({{year}}): <strong>{{index}}</strong>{{#known}}; {{#ru}}выше, чем у{{/ru}}{{^ru}}higher than{{/ru}} {{percentile}}% {{#ru}}школ региона{{/ru}}{{^ru}}of the region's schools{{/ru}}{{/known}} ({{#ru}}показателей учтено{{/ru}}{{^ru}}components used{{/ru}}: {{components}}).</p>{{/wellbeing}}
        <table class="compact" id="indicators"><thead><tr><th>{{#ru}}Показатель{{/ru}}{{^ru}}Indicator{{/ru}}</th><th>{{#ru}}Группа{{/ru}}{{^ru}}Group{{/ru}}</th><th class="num">{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</th><th class="num">{{#ru}}Медиана региона{{/ru}}{{^ru}}Region median{{/ru}}</th></tr></thead><tbody>
        {{#indicators}}<tr><td>{{name}}</td><td>{{group}}</td><td class="num">{{value}}</td><td class="num">{{median}}</td></tr>{{/indicators}}
        </tbody></table></section>
        """

    static let school = """
        <h1>{{name}}</h1>
        {{#refreshing}}<p class="notice" role="status">{{#ru}}Данные обновляются после загрузки: пока показаны прежние. Обновите страницу через минуту.{{/ru}}{{^ru}}The data is being updated after an import: the previous data is shown meanwhile. Reload the page in a minute.{{/ru}}</p>{{/refreshing}}
        <p>{{id}} · {{municipality}} · {{settlement}}, {{kind}} · {{#ru}}обучающихся{{/ru}}{{^ru}}students{{/ru}}: {{students}}</p>
        <nav class="toc" aria-label="{{#ru}}Разделы профиля{{/ru}}{{^ru}}Profile sections{{/ru}}"><a href="#flags">{{#ru}}Категории и основания{{/ru}}{{^ru}}Categories and evidence{{/ru}}</a> · <a href="#results">{{#ru}}Результаты{{/ru}}{{^ru}}Results{{/ru}}</a> · <a href="#context">{{#ru}}Контекст{{/ru}}{{^ru}}Context{{/ru}}</a> · <a href="#registry">{{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</a> · <a href="/schools/{{id}}/plan">{{#ru}}План поддержки: риски, программы, дорожная карта{{/ru}}{{^ru}}Support plan: risks, programmes, roadmap{{/ru}}</a></nav>

        <section id="flags" aria-labelledby="flags-h"><h2 id="flags-h">{{#ru}}Категории и основания{{/ru}}{{^ru}}Categories and evidence{{/ru}}</h2>
        {{^hasRuns}}<p>{{#ru}}Выявление ещё не запускалось.{{/ru}}{{^ru}}Identification has not been run yet.{{/ru}}</p>{{/hasRuns}}
        {{#runs}}<h3>{{year}} · <a href="/identification/runs/{{id}}">{{#ru}}запуск{{/ru}}{{^ru}}run{{/ru}} №{{id}}</a> ({{rules}})</h3>
        {{#clean}}<p>{{#ru}}Ни по одному критерию школа не выявлена.{{/ru}}{{^ru}}The school was not flagged by any criterion.{{/ru}}</p>{{/clean}}
        <p>{{#categories}}<span class="tag tag-{{code}}">{{name}}</span> {{/categories}}</p>
        <ul class="evidence flags">{{#flags}}<li><strong>{{title}}</strong>{{#strength}} ({{strength}}){{/strength}}: {{text}}
        <small>({{#ru}}значение{{/ru}}{{^ru}}value{{/ru}} {{value}}, {{#ru}}порог{{/ru}}{{^ru}}threshold{{/ru}} {{threshold}}, n = {{n}})</small></li>{{/flags}}</ul>
        {{#hasNotEnough}}<details><summary>{{#ru}}Недостаточно данных для суждения{{/ru}}{{^ru}}Not enough data to judge{{/ru}}</summary><ul>{{#notEnough}}<li>{{title}}: {{reason}}</li>{{/notEnough}}</ul></details>{{/hasNotEnough}}
        {{/runs}}
        </section>

        {{{dataHTML}}}

        <section id="registry" aria-labelledby="registry-h"><h2 id="registry-h">{{#ru}}Реестр поддержки{{/ru}}{{^ru}}Support registry{{/ru}}</h2>
        {{#registry}}<p>{{#ru}}Статус{{/ru}}{{^ru}}Status{{/ru}}: <strong>{{status}}</strong>; {{category}}; {{#ru}}с{{/ru}}{{^ru}}since{{/ru}} {{start}}; {{#ru}}координатор{{/ru}}{{^ru}}coordinator{{/ru}}: {{coordinator}}. {{reason}}</p>
        <p><a href="/registry/{{id}}">{{#ru}}Запись реестра{{/ru}}{{^ru}}Registry entry{{/ru}}</a></p>
        <table class="compact"><thead><tr><th>{{#ru}}Когда (UTC){{/ru}}{{^ru}}When (UTC){{/ru}}</th><th>{{#ru}}Кто{{/ru}}{{^ru}}Who{{/ru}}</th><th>{{#ru}}Статус{{/ru}}{{^ru}}Status{{/ru}}</th><th>{{#ru}}Примечание{{/ru}}{{^ru}}Note{{/ru}}</th></tr></thead><tbody>
        {{#history}}<tr><td>{{at}}</td><td>{{by}}</td><td>{{status}}</td><td>{{note}}</td></tr>{{/history}}</tbody></table>{{/registry}}
        {{^registry}}<p>{{#ru}}Школа не в реестре.{{/ru}}{{^ru}}The school is not in the registry.{{/ru}}{{#canInclude}} <a href="/registry/new?school={{id}}">{{#ru}}Включить в реестр{{/ru}}{{^ru}}Include in the registry{{/ru}}</a>{{/canInclude}}</p>{{/registry}}
        </section>
        """
}
