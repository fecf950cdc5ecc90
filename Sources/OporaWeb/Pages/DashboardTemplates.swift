extension Templates {
    static let dashboardPages: [String: String] = ["dashboard": dashboard, "dashboardFigures": dashboardFigures,
                                                   "dashboardFilters": dashboardFilters, "dashboardHead": dashboardHead,
                                                   "dashboardProgrammes": dashboardProgrammes]

    /// The support programme's own indicators (the seeds' programme level) and the municipal roadmaps' indicators.
    static let dashboardProgrammes = """
        <section aria-labelledby="programme-h" id="programme-indicators"><h2 id="programme-h">{{#ru}}Программа поддержки: показатели{{/ru}}{{^ru}}Support programme: indicators{{/ru}}</h2>
        <table class="compact" id="programme-figures"><tbody>{{#figures}}<tr><td>{{name}}</td><td class="num">{{value}}</td></tr>{{/figures}}</tbody></table>
        {{#hasIndicators}}<h3>{{#ru}}Показатели муниципальных дорожных карт{{/ru}}{{^ru}}Indicators of the municipal roadmaps{{/ru}}</h3>
        <table id="roadmap-indicators"><thead><tr><th>{{#ru}}Показатель{{/ru}}{{^ru}}Indicator{{/ru}}</th><th class="num">{{#ru}}Исходное{{/ru}}{{^ru}}Baseline{{/ru}}</th><th class="num">{{#ru}}Цель{{/ru}}{{^ru}}Target{{/ru}}</th><th class="num">{{#ru}}Последнее{{/ru}}{{^ru}}Latest{{/ru}}</th><th>{{#ru}}Оценка{{/ru}}{{^ru}}Status{{/ru}}</th></tr></thead><tbody>
        {{#indicators}}<tr><td>{{name}}<br><small><a href="/programmes/{{programmeID}}">{{programme}}</a>{{#multipleMunicipalities}} · {{municipality}}{{/multipleMunicipalities}}</small></td><td class="num">{{baseline}}</td><td class="num">{{target}}</td><td class="num">{{latest}}{{#latestPeriod}}<br><small>{{latestPeriod}}</small>{{/latestPeriod}}</td><td><span class="light light-{{light}}">{{lightName}}</span></td></tr>{{/indicators}}
        </tbody></table>{{/hasIndicators}}
        {{^hasIndicators}}<p>{{#ru}}У муниципалитетов пока нет дорожных карт с показателями —{{/ru}}{{^ru}}No municipal roadmap with indicators yet —{{/ru}} <a href="/municipal-plans">{{#ru}}муниципальные планы{{/ru}}{{^ru}}municipal plans{{/ru}}</a>.</p>{{/hasIndicators}}
        </section>
        """

    /// The filter form and the table's header: the same for every request with the same filter and territory.
    static let dashboardFilters = """
        <form method="get" action="/" class="filters" role="search">
        <label for="f-q">{{#ru}}Поиск по названию или коду{{/ru}}{{^ru}}Search by name or code{{/ru}}</label><input id="f-q" name="q" value="{{q}}" type="search">
        {{#regionWide}}<label for="f-m">{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</label><select id="f-m" name="municipality"><option value="">{{#ru}}все{{/ru}}{{^ru}}all{{/ru}}</option>{{#municipalities}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/municipalities}}</select>{{/regionWide}}
        <label for="f-c">{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</label><select id="f-c" name="category"><option value="">{{#ru}}все школы{{/ru}}{{^ru}}all schools{{/ru}}</option>{{#categoryOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categoryOptions}}</select>
        <label for="f-r">{{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</label><select id="f-r" name="registry"><option value="">{{#ru}}все{{/ru}}{{^ru}}all{{/ru}}</option>{{#registryOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/registryOptions}}</select>
        <label for="f-s">{{#ru}}Местность{{/ru}}{{^ru}}Settlement{{/ru}}</label><select id="f-s" name="settlement"><option value="">{{#ru}}любая{{/ru}}{{^ru}}any{{/ru}}</option>{{#settlementOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/settlementOptions}}</select>
        <button type="submit">{{#ru}}Показать{{/ru}}{{^ru}}Show{{/ru}}</button>{{#filterActive}} <a href="/">{{#ru}}Сбросить{{/ru}}{{^ru}}Reset{{/ru}}</a>{{/filterActive}}
        </form>
        """

    static let dashboardHead = """
        <thead><tr>{{#columns}}<th aria-sort="{{sort}}"><a href="{{link}}">{{name}}{{arrow}}</a></th>{{/columns}}<th>{{#ru}}Реестр{{/ru}}{{^ru}}Registry{{/ru}}</th></tr></thead>
        """

    /// The figures above the table; rendered once per data version, runs, registry, territory and language.
    static let dashboardFigures = """
        <div class="cols">
        {{#byYear}}<section aria-labelledby="by-year-h"><h2 id="by-year-h">{{#ru}}Школы по категориям и годам{{/ru}}{{^ru}}Schools by category and year{{/ru}}</h2>
        {{{byYearChart}}}
        <table class="compact"><thead><tr><th>{{#ru}}Категория{{/ru}}{{^ru}}Category{{/ru}}</th>{{#byYearYears}}<th class="num"><a href="/identification/runs/{{run}}">{{year}}</a></th>{{/byYearYears}}</tr></thead>
        <tbody>{{#byYearRows}}<tr><td>{{name}}</td>{{#cells}}<td class="num">{{value}}</td>{{/cells}}</tr>{{/byYearRows}}
        <tr><th>{{#ru}}Всего школ с категориями{{/ru}}{{^ru}}Schools with any category{{/ru}}</th>{{#byYearFlagged}}<td class="num"><strong>{{value}}</strong></td>{{/byYearFlagged}}</tr></tbody></table>
        </section>{{/byYear}}
        {{#hasTrend}}<section aria-labelledby="trend-h"><h2 id="trend-h">{{#ru}}Доля «2» по годам{{/ru}}{{^ru}}Share of «2» by year{{/ru}}</h2>
        {{{trendChart}}}
        <details><summary>{{#ru}}По процедурам{{/ru}}{{^ru}}By procedure{{/ru}}</summary>
        <table class="compact"><thead><tr><th>{{#ru}}Процедура{{/ru}}{{^ru}}Procedure{{/ru}}</th>{{#trendYears}}<th class="num">{{year}}</th>{{/trendYears}}</tr></thead>
        <tbody>{{#trendRows}}<tr><td>{{name}}</td>{{#cells}}<td class="num">{{value}}{{#region}} <small title="{{#ru}}регион{{/ru}}{{^ru}}region{{/ru}}">({{region}})</small>{{/region}}</td>{{/cells}}</tr>{{/trendRows}}</tbody></table>
        </details></section>{{/hasTrend}}
        </div>
        {{#effect}}<section aria-labelledby="effect-h" id="effect"><h2 id="effect-h">{{#ru}}Эффект поддержки{{/ru}}{{^ru}}Effect of support{{/ru}}</h2>
        <p>{{#ru}}Доля «2» в ВПР от года до начала поддержки до {{year}} г.: у школ программы ({{schools}}) — <strong>{{supported}}</strong>, у похожих школ без поддержки (подобраны по исходной доле «2» и индексу благополучия) — <strong>{{matched}}</strong>. Разница: <strong>{{effect}}</strong> (95% интервал {{interval}}).{{/ru}}{{^ru}}Share of «2» in VPR from the year before support began to {{year}}: supported schools ({{schools}}) <strong>{{supported}}</strong>, similar unsupported schools (matched on the baseline share of «2» and the well-being index) <strong>{{matched}}</strong>. Difference: <strong>{{effect}}</strong> (95% interval {{interval}}).{{/ru}}</p>
        <p>{{verdict}}</p></section>{{/effect}}
        """

    static let dashboard = """
        <h1>{{heading}}</h1>
        {{#refreshing}}<p class="notice" role="status">{{#ru}}Данные обновляются после загрузки: пока показаны прежние. Обновите страницу через минуту.{{/ru}}{{^ru}}The data is being updated after an import: the previous data is shown meanwhile. Reload the page in a minute.{{/ru}}</p>{{/refreshing}}
        <p>{{summary}}</p>
        {{#empty}}<p>{{#ru}}Данных пока нет. Загрузите их на странице «Данные» или командой{{/ru}}{{^ru}}No data yet. Upload it on the Data page or with{{/ru}} <code>opora import</code>.</p>{{/empty}}
        {{#run}}<p>{{#ru}}Категории — по последнему запуску выявления{{/ru}}{{^ru}}Categories are from the newest identification run{{/ru}}
        <a href="/identification/runs/{{id}}">№{{id}}</a> ({{year}}, {{rules}}, {{date}}).</p>{{/run}}
        {{^run}}<p>{{#ru}}Выявление ещё не запускалось.{{/ru}}{{^ru}}Identification has not been run yet.{{/ru}} <a href="/identification">{{#ru}}Выявление{{/ru}}{{^ru}}Identification{{/ru}}</a></p>{{/run}}
        {{{figuresHTML}}}
        {{{programmesHTML}}}
        <section aria-labelledby="schools-h"><h2 id="schools-h">{{#ru}}Школы{{/ru}}{{^ru}}Schools{{/ru}}</h2>
        {{{filtersHTML}}}
        <p id="shown" role="status">{{shownCount}}{{#pager}} · {{pageOf}}{{/pager}}</p>
        <table id="schools">{{{headHTML}}}<tbody>
        {{{rowsHTML}}}</tbody></table>
        {{#pager}}<nav class="pager" aria-label="{{#ru}}Страницы таблицы{{/ru}}{{^ru}}Table pages{{/ru}}">{{#previous}}<a href="{{previous}}" rel="prev">← {{#ru}}предыдущая{{/ru}}{{^ru}}previous{{/ru}}</a> {{/previous}}{{pageOf}}{{#next}} <a href="{{next}}" rel="next">{{#ru}}следующая{{/ru}}{{^ru}}next{{/ru}} →</a>{{/next}}</nav>{{/pager}}
        </section>
        """
}
