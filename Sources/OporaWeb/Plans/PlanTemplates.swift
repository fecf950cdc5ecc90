extension Templates {
    static let planPages: [String: String] = ["plan": plan, "programme": programme, "attention": attention, "municipalPlans": municipalPlans, "diagnosis": diagnosis, "exitReview": exitReview,
                                                       "questionnaire": questionnaire]

    static let exitReview = """
        <h1>{{#ru}}Проверка критериев выхода{{/ru}}{{^ru}}Exit criteria checked{{/ru}}</h1>
        <p>{{rule}} {{#ru}}Opora только предлагает выход; решение принимает координатор в реестре.{{/ru}}{{^ru}}Opora only proposes an exit; the coordinator decides in the registry.{{/ru}}</p>
        {{#empty}}<p>{{#ru}}Школ в программе нет.{{/ru}}{{^ru}}No school is in the programme.{{/ru}}</p>{{/empty}}
        <table id="exit-review"><thead><tr><th>{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</th><th>{{#ru}}Итог{{/ru}}{{^ru}}Result{{/ru}}</th><th>{{#ru}}Основания{{/ru}}{{^ru}}Grounds{{/ru}}</th></tr></thead><tbody>
        {{#findings}}<tr><td><a href="/registry/{{id}}">{{name}}</a></td><td>{{#proposed}}<strong>{{#ru}}предложен выход{{/ru}}{{^ru}}exit proposed{{/ru}}</strong>{{/proposed}}{{^proposed}}{{#ru}}остаётся в программе{{/ru}}{{^ru}}stays in the programme{{/ru}}{{/proposed}}</td><td>{{reasons}}</td></tr>{{/findings}}
        </tbody></table>
        <p><a href="/registry">{{#ru}}К реестру{{/ru}}{{^ru}}To the registry{{/ru}}</a></p>
        """

    static let diagnosis = """
        <h1>{{title}}: {{name}}</h1>
        <p><a href="/schools/{{id}}/plan">{{#ru}}План поддержки{{/ru}}{{^ru}}Support plan{{/ru}}</a> · <a href="/schools/{{id}}">{{#ru}}Профиль школы{{/ru}}{{^ru}}School profile{{/ru}}</a></p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p role="status">{{summary}}</p>
        <form method="post" action="/schools/{{id}}/diagnosis"><input type="hidden" name="csrf" value="{{csrf}}">
        {{#areas}}<h2>{{code}}. {{title}}</h2>
        <table class="diagnosis"><thead><tr><th>{{#ru}}Показатель{{/ru}}{{^ru}}Indicator{{/ru}}</th><th>{{#ru}}Оценка{{/ru}}{{^ru}}Rating{{/ru}}</th><th>{{#ru}}Чем подтверждается{{/ru}}{{^ru}}Evidence{{/ru}}</th></tr></thead><tbody>
        {{#items}}<tr><td><strong>{{code}} {{name}}</strong><br><small>{{topic}}</small></td>
        <td><fieldset><legend class="sr-only">{{code}} {{name}}</legend>
        <label><input type="radio" name="rating_{{code}}" value="+"{{#plus}} checked{{/plus}}{{^canWrite}} disabled{{/canWrite}}> «+»</label>
        <label><input type="radio" name="rating_{{code}}" value="insufficient"{{#insufficient}} checked{{/insufficient}}{{^canWrite}} disabled{{/canWrite}}> {{#ru}}«недост»{{/ru}}{{^ru}}insufficient{{/ru}}</label></fieldset></td>
        <td><label class="sr-only" for="evidence_{{code}}">{{#ru}}Подтверждение{{/ru}}{{^ru}}Evidence{{/ru}} {{code}}</label><textarea id="evidence_{{code}}" name="evidence_{{code}}" rows="2" cols="40"{{^canWrite}} disabled{{/canWrite}}>{{evidence}}</textarea></td></tr>{{/items}}
        </tbody></table>{{/areas}}
        <h2>SWOT</h2>
        <div class="cols">{{#swot}}<div><label for="swot_{{code}}"><strong>{{title}}</strong><br><small>{{prompt}}</small></label>
        <textarea id="swot_{{code}}" name="swot_{{code}}" rows="4" cols="45"{{^canWrite}} disabled{{/canWrite}}>{{text}}</textarea></div>{{/swot}}</div>
        {{#canWrite}}<p><button type="submit">{{#ru}}Сохранить диагностику{{/ru}}{{^ru}}Save the diagnosis{{/ru}}</button></p>{{/canWrite}}
        </form>
        """

    static let questionnaire = """
        <h1>{{#ru}}Анкета профиля рисков{{/ru}}{{^ru}}Risk-profile questionnaire{{/ru}}: {{name}}</h1>
        <p><a href="/schools/{{id}}/plan#risks">{{#ru}}План поддержки{{/ru}}{{^ru}}Support plan{{/ru}}</a> · <a href="/schools/{{id}}">{{#ru}}Профиль школы{{/ru}}{{^ru}}School profile{{/ru}}</a></p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <p>{{summary}}</p>
        <form method="post" action="/schools/{{id}}/questionnaire"><input type="hidden" name="csrf" value="{{csrf}}">
        {{#factors}}<section class="factor" id="factor-{{code}}" aria-labelledby="h-{{code}}"><h2 id="h-{{code}}">{{name}}</h2>
        <p>{{description}}</p>
        <details><summary>{{#ru}}Как выглядят уровни{{/ru}}{{^ru}}What the levels look like{{/ru}}</summary><dl class="levels">{{#levels}}<dt>{{name}}</dt><dd>{{text}}</dd>{{/levels}}</dl></details>
        {{#suggestion}}<p><small>{{#ru}}По данным{{/ru}}{{^ru}}From the data{{/ru}}: {{suggestion}}{{#justification}} <span class="muted">{{justification}}</span>{{/justification}}</small></p>{{/suggestion}}
        {{#questions}}<fieldset class="question"><legend>{{text}}</legend>
        {{#options}}<label for="{{id}}"><input type="radio" id="{{id}}" name="{{field}}" value="{{value}}"{{#checked}} checked{{/checked}}{{^canWrite}} disabled{{/canWrite}}> {{name}}</label> {{/options}}</fieldset>
        {{/questions}}
        <p class="answer-level risk-{{levelCode}}" role="status"><strong>{{result}}</strong></p></section>
        {{/factors}}
        {{#canWrite}}<p><button type="submit">{{#ru}}Сохранить ответы{{/ru}}{{^ru}}Save the answers{{/ru}}</button></p>{{/canWrite}}
        </form>
        """

    static let municipalPlans = """
        <h1>{{#ru}}Муниципальные планы и поддержка{{/ru}}{{^ru}}Municipal plans and support{{/ru}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <section aria-labelledby="fig-h"><h2 id="fig-h">{{#ru}}Показатели программы{{/ru}}{{^ru}}Programme indicators{{/ru}}</h2>
        <table class="compact" id="programme-figures"><tbody>{{#figures}}<tr><td>{{name}}</td><td class="num">{{value}}</td></tr>{{/figures}}</tbody></table></section>
        <section aria-labelledby="mp-h"><h2 id="mp-h">{{#ru}}Дорожные карты муниципалитета{{/ru}}{{^ru}}The municipality's roadmaps{{/ru}}</h2>
        {{^hasProgrammes}}<p>{{#ru}}Пока нет.{{/ru}}{{^ru}}None yet.{{/ru}}</p>{{/hasProgrammes}}
        {{#hasProgrammes}}<table><thead><tr><th>{{#ru}}Дорожная карта{{/ru}}{{^ru}}Roadmap{{/ru}}</th><th>{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</th><th class="num">{{#ru}}Мероприятий{{/ru}}{{^ru}}Measures{{/ru}}</th><th class="num">{{#ru}}Выполнено{{/ru}}{{^ru}}Done{{/ru}}</th><th class="num">{{#ru}}Просрочено{{/ru}}{{^ru}}Late{{/ru}}</th></tr></thead><tbody>
        {{#programmes}}<tr><td><a href="/programmes/{{id}}">{{title}}</a></td><td>{{municipality}}</td><td class="num">{{measures}}</td><td class="num">{{done}}</td><td class="num">{{#hasLate}}<strong class="late">{{late}}</strong>{{/hasLate}}{{^hasLate}}{{late}}{{/hasLate}}</td></tr>{{/programmes}}
        </tbody></table>{{/hasProgrammes}}
        {{#canWrite}}{{#hasMunicipality}}<form method="post" action="/municipal-plans/programmes" class="filters"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="mp-m">{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</label><select id="mp-m" name="municipality">{{#municipalities}}<option>{{name}}</option>{{/municipalities}}</select>
        <label for="mp-t">{{#ru}}Шаблон{{/ru}}{{^ru}}Template{{/ru}}</label><select id="mp-t" name="template"><option value="">{{#ru}}— пустая дорожная карта —{{/ru}}{{^ru}}— an empty roadmap —{{/ru}}</option>{{#templates}}<option value="{{id}}">{{title}}</option>{{/templates}}</select>
        <label for="mp-title">{{#ru}}Название (для пустой){{/ru}}{{^ru}}Title (for an empty one){{/ru}}</label><input id="mp-title" name="title">
        <button type="submit">{{#ru}}Создать{{/ru}}{{^ru}}Create{{/ru}}</button></form>{{/hasMunicipality}}{{/canWrite}}
        </section>
        <section id="events" aria-labelledby="ev-h"><h2 id="ev-h">{{#ru}}События и визиты{{/ru}}{{^ru}}Events and visits{{/ru}}</h2>
        <table><thead><tr><th>{{#ru}}Дата{{/ru}}{{^ru}}Date{{/ru}}</th><th>{{#ru}}Вид{{/ru}}{{^ru}}Kind{{/ru}}</th><th>{{#ru}}Школа или муниципалитет{{/ru}}{{^ru}}School or municipality{{/ru}}</th><th>{{#ru}}Тема{{/ru}}{{^ru}}Topic{{/ru}}</th><th>{{#ru}}Участники{{/ru}}{{^ru}}Participants{{/ru}}</th><th>{{#ru}}Итог{{/ru}}{{^ru}}Outcome{{/ru}}</th></tr></thead><tbody>
        {{#events}}<tr><td>{{day}}</td><td>{{kind}}</td><td>{{school}}</td><td>{{topic}}</td><td>{{participants}}</td><td>{{outcome}}</td></tr>{{/events}}</tbody></table>
        <form method="post" action="/municipal-plans/events"><input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{#ru}}Новое событие или визит{{/ru}}{{^ru}}A new event or visit{{/ru}}</h3>
        <div class="filters">
        <label for="ev-kind">{{#ru}}Вид{{/ru}}{{^ru}}Kind{{/ru}}</label><select id="ev-kind" name="kind">{{#kinds}}<option value="{{value}}">{{name}}</option>{{/kinds}}</select>
        <label for="ev-day">{{#ru}}Дата{{/ru}}{{^ru}}Date{{/ru}}</label><input id="ev-day" name="day" type="date" value="{{today}}">
        <label for="ev-school">{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</label><select id="ev-school" name="school"><option value="">{{#ru}}— муниципальное —{{/ru}}{{^ru}}— municipal —{{/ru}}</option>{{#schools}}<option value="{{id}}">{{name}}</option>{{/schools}}</select>
        <label for="ev-m">{{#ru}}Муниципалитет{{/ru}}{{^ru}}Municipality{{/ru}}</label><select id="ev-m" name="municipality">{{#municipalities}}<option>{{name}}</option>{{/municipalities}}</select>
        </div>
        <label for="ev-topic">{{#ru}}Тема{{/ru}}{{^ru}}Topic{{/ru}}</label><input id="ev-topic" name="topic" size="60" required>
        <label for="ev-participants">{{#ru}}Участники{{/ru}}{{^ru}}Participants{{/ru}}</label><input id="ev-participants" name="participants" size="60">
        <label for="ev-outcome">{{#ru}}Итог{{/ru}}{{^ru}}Outcome{{/ru}}</label><input id="ev-outcome" name="outcome" size="60">
        <p><button type="submit">{{#ru}}Записать{{/ru}}{{^ru}}Record{{/ru}}</button></p></form>
        </section>
        <section aria-labelledby="pairs-h"><h2 id="pairs-h">{{#ru}}Пары школ и наставники{{/ru}}{{^ru}}School pairs and mentors{{/ru}}</h2>
        <ul>{{#pairs}}<li>{{supported}} ↔ {{partner}}{{#note}} — <small>{{note}}</small>{{/note}}</li>{{/pairs}}</ul>
        {{#canWrite}}<div class="cols"><form method="post" action="/municipal-plans/pairs"><input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{#ru}}Пара «школа — партнёр»{{/ru}}{{^ru}}A school and its partner{{/ru}}</h3>
        <label for="pair-s">{{#ru}}Школа, которой помогают{{/ru}}{{^ru}}The supported school{{/ru}}</label><select id="pair-s" name="supported">{{#schools}}<option value="{{id}}">{{name}}</option>{{/schools}}</select>
        <label for="pair-p">{{#ru}}Школа-партнёр (код){{/ru}}{{^ru}}Partner school (code){{/ru}}</label><input id="pair-p" name="partner" required>
        <p><button type="submit">{{#ru}}Связать и проверить по данным{{/ru}}{{^ru}}Pair and check against the data{{/ru}}</button></p></form>
        <form method="post" action="/municipal-plans/mentors"><input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{#ru}}Наставник школы{{/ru}}{{^ru}}A school's mentor{{/ru}}</h3>
        <label for="men-s">{{#ru}}Школа{{/ru}}{{^ru}}School{{/ru}}</label><select id="men-s" name="school">{{#schools}}<option value="{{id}}">{{name}}</option>{{/schools}}</select>
        <label for="men-n">{{#ru}}ФИО наставника{{/ru}}{{^ru}}Mentor's name{{/ru}}</label><input id="men-n" name="name" required>
        <label for="men-r">{{#ru}}Роль{{/ru}}{{^ru}}Role{{/ru}}</label><input id="men-r" name="role" value="наставник">
        <label for="men-w">{{#ru}}Код школы, где работает (проверка конфликта интересов){{/ru}}{{^ru}}Code of the school they work at (conflict-of-interest check){{/ru}}</label><input id="men-w" name="staff_school">
        <p><button type="submit">{{#ru}}Назначить{{/ru}}{{^ru}}Assign{{/ru}}</button></p></form></div>{{/canWrite}}
        </section>
        """

    static let attention = """
        <h1>{{#ru}}Требует внимания{{/ru}}{{^ru}}Needs attention{{/ru}}</h1>
        {{#empty}}<p class="notice" role="status">{{#ru}}Всё в порядке: просроченного и пропущенного нет.{{/ru}}{{^ru}}All in order: nothing late or missing.{{/ru}}</p>{{/empty}}
        {{#groups}}<section class="attention-{{kind}}"><h2>{{title}} ({{count}})</h2>
        <ul>{{#items}}<li><strong>{{owner}}</strong>: <a href="{{link}}">{{text}}</a></li>{{/items}}</ul></section>{{/groups}}
        """

    static let plan = """
        <h1>{{#ru}}План поддержки:{{/ru}}{{^ru}}Support plan:{{/ru}} {{name}}</h1>
        <p><a href="/schools/{{id}}">{{#ru}}Профиль школы{{/ru}}{{^ru}}School profile{{/ru}}</a></p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}

        <p><a href="/schools/{{id}}/diagnosis">{{#ru}}Комплексная диагностика школьных процессов и SWOT{{/ru}}{{^ru}}Comprehensive diagnosis of school processes and SWOT{{/ru}}</a>{{#diagnosisSummary}} — {{diagnosisSummary}}{{/diagnosisSummary}}</p>
        <section id="risks" aria-labelledby="risks-h"><h2 id="risks-h">{{#ru}}Профиль рисков{{/ru}}{{^ru}}Risk profile{{/ru}}</h2>
        <p>{{#ru}}Уровни, которые можно оценить по данным, уже предложены — подтвердите или исправьте их. Отметьте приоритетные риски и объясните выбор.{{/ru}}{{^ru}}Levels the data can tell are suggested already: confirm or correct them. Mark the priority risks and say why.{{/ru}}
        <a href="/schools/{{id}}/questionnaire">{{#ru}}Анкета самооценки по факторам риска{{/ru}}{{^ru}}Self-assessment questionnaire on the risk factors{{/ru}}</a></p>
        <form method="post" action="/schools/{{id}}/risk-profile">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <table id="risk-table"><thead><tr><th>{{#ru}}Фактор риска{{/ru}}{{^ru}}Risk factor{{/ru}}</th><th>{{#ru}}По данным{{/ru}}{{^ru}}From the data{{/ru}}</th><th>{{#ru}}По анкете{{/ru}}{{^ru}}From the questionnaire{{/ru}}</th><th>{{#ru}}Уровень{{/ru}}{{^ru}}Level{{/ru}}</th><th>{{#ru}}Приоритет и почему{{/ru}}{{^ru}}Priority, and why{{/ru}}</th></tr></thead><tbody>
        {{#risks}}<tr id="risk-{{code}}" class="risk-{{levelCode}}"><td>{{name}}</td><td><small>{{suggestion}}{{^suggestion}}{{#ru}}данные не говорят — оцените сами{{/ru}}{{^ru}}the data cannot tell — assess it yourselves{{/ru}}{{/suggestion}}</small></td>
        <td>{{#answered}}{{answered}}{{/answered}}{{^answered}}<a href="/schools/{{id}}/questionnaire#factor-{{code}}">{{#ru}}заполнить{{/ru}}{{^ru}}answer{{/ru}}</a>{{/answered}}</td>
        <td><label class="sr-only" for="level_{{code}}">{{#ru}}Уровень{{/ru}}{{^ru}}Level{{/ru}}: {{name}}</label><select id="level_{{code}}" name="level_{{code}}"{{^canWrite}} disabled{{/canWrite}}><option value="">—</option>{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/levels}}</select>{{^confirmed}}<br><small>{{#ru}}не подтверждён{{/ru}}{{^ru}}not confirmed{{/ru}}</small>{{/confirmed}}</td>
        <td><label><input type="checkbox" name="priority_{{code}}"{{#priority}} checked{{/priority}}{{^canWrite}} disabled{{/canWrite}}> {{#ru}}приоритетный{{/ru}}{{^ru}}priority{{/ru}}</label>
        <label class="sr-only" for="reason_{{code}}">{{#ru}}Почему{{/ru}}{{^ru}}Why{{/ru}}: {{name}}</label><input id="reason_{{code}}" name="reason_{{code}}" value="{{reason}}" size="28"{{^canWrite}} disabled{{/canWrite}}></td></tr>
        {{/risks}}</tbody></table>
        {{#canWrite}}<p><button type="submit">{{#ru}}Сохранить профиль рисков{{/ru}}{{^ru}}Save the risk profile{{/ru}}</button></p>{{/canWrite}}
        </form></section>

        <section id="programmes" aria-labelledby="programmes-h"><h2 id="programmes-h">{{#ru}}Программы и дорожные карты{{/ru}}{{^ru}}Programmes and roadmaps{{/ru}}</h2>
        {{^hasProgrammes}}<p>{{#ru}}Программ пока нет.{{/ru}}{{^ru}}No programmes yet.{{/ru}}</p>{{/hasProgrammes}}
        {{#hasProgrammes}}<table id="programme-list"><thead><tr><th>{{#ru}}Программа{{/ru}}{{^ru}}Programme{{/ru}}</th><th>{{#ru}}Вид{{/ru}}{{^ru}}Kind{{/ru}}</th><th class="num">{{#ru}}Мероприятий{{/ru}}{{^ru}}Measures{{/ru}}</th><th class="num">{{#ru}}Выполнено{{/ru}}{{^ru}}Done{{/ru}}</th><th class="num">{{#ru}}Просрочено{{/ru}}{{^ru}}Late{{/ru}}</th></tr></thead><tbody>
        {{#programmes}}<tr><td><a href="/programmes/{{id}}">{{title}}</a>{{#risk}}<br><small>{{risk}}</small>{{/risk}}</td><td>{{kind}}</td><td class="num">{{measures}}</td><td class="num">{{done}}</td><td class="num">{{#hasLate}}<strong class="late">{{late}}</strong>{{/hasLate}}{{^hasLate}}{{late}}{{/hasLate}}</td></tr>{{/programmes}}
        </tbody></table>{{/hasProgrammes}}
        {{#canWrite}}<div class="cols">
        <form method="post" action="/schools/{{id}}/programmes"><input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{#ru}}Начать с шаблона{{/ru}}{{^ru}}Start from a template{{/ru}}</h3>
        <label for="template">{{#ru}}Шаблон (приоритетные риски — первыми){{/ru}}{{^ru}}Template (priority risks first){{/ru}}</label>
        <select id="template" name="template">{{#templates}}<option value="{{id}}">{{title}} ({{measures}})</option>{{/templates}}</select>
        <p><button type="submit">{{#ru}}Создать из шаблона{{/ru}}{{^ru}}Create from the template{{/ru}}</button></p></form>
        <form method="post" action="/schools/{{id}}/programmes"><input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{#ru}}Пустая программа{{/ru}}{{^ru}}An empty programme{{/ru}}</h3>
        <label for="kind">{{#ru}}Вид{{/ru}}{{^ru}}Kind{{/ru}}</label><select id="kind" name="kind">{{#kinds}}<option value="{{value}}">{{name}}</option>{{/kinds}}</select>
        <label for="risk_factor">{{#ru}}Риск (для антирисковой программы){{/ru}}{{^ru}}Risk (for an anti-risk programme){{/ru}}</label><select id="risk_factor" name="risk_factor"><option value="">—</option>{{#factors}}<option value="{{value}}">{{name}}</option>{{/factors}}</select>
        <label for="title">{{#ru}}Название{{/ru}}{{^ru}}Title{{/ru}}</label><input id="title" name="title" size="40">
        <p><button type="submit">{{#ru}}Создать{{/ru}}{{^ru}}Create{{/ru}}</button></p></form>
        </div>{{/canWrite}}
        </section>

        <section id="support" aria-labelledby="support-h"><h2 id="support-h">{{#ru}}Поддержка{{/ru}}{{^ru}}Support{{/ru}}</h2>
        <p>{{#ru}}Кураторы{{/ru}}{{^ru}}Curators{{/ru}}: {{#hasCurators}}{{curators}}{{/hasCurators}}{{^hasCurators}}—{{/hasCurators}}</p>
        <ul>{{#mentors}}<li>{{role}}: {{name}} ({{#ru}}с{{/ru}}{{^ru}}since{{/ru}} {{since}})</li>{{/mentors}}
        {{#pairs}}<li>{{#ru}}Школа-партнёр{{/ru}}{{^ru}}Partner school{{/ru}}: <a href="/schools/{{partnerID}}">{{partner}}</a> ({{#ru}}с{{/ru}}{{^ru}}since{{/ru}} {{since}})</li>{{/pairs}}</ul>
        <h3>{{#ru}}События и визиты{{/ru}}{{^ru}}Events and visits{{/ru}}</h3>
        <ul class="events">{{#events}}<li>{{day}} · {{kind}}{{#municipal}} ({{#ru}}муниципальное{{/ru}}{{^ru}}municipal{{/ru}}){{/municipal}}: {{topic}}{{#outcome}} — {{outcome}}{{/outcome}}</li>{{/events}}</ul>
        {{#canLogEvent}}<details id="log-visit"><summary>{{#ru}}Записать визит или событие{{/ru}}{{^ru}}Log a visit or an event{{/ru}}</summary>
        <form method="post" action="/municipal-plans/events"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="school" value="{{id}}">
        <div class="filters"><label for="pv-kind">{{#ru}}Вид{{/ru}}{{^ru}}Kind{{/ru}}</label><select id="pv-kind" name="kind">{{#eventKinds}}<option value="{{value}}">{{name}}</option>{{/eventKinds}}</select>
        <label for="pv-day">{{#ru}}Дата{{/ru}}{{^ru}}Date{{/ru}}</label><input id="pv-day" name="day" type="date" value="{{today}}" required></div>
        <label for="pv-topic">{{#ru}}Тема, что смотрели{{/ru}}{{^ru}}Topic, what was observed{{/ru}}</label><input id="pv-topic" name="topic" size="60" required>
        <label for="pv-participants">{{#ru}}Участники{{/ru}}{{^ru}}Participants{{/ru}}</label><input id="pv-participants" name="participants" size="60">
        <label for="pv-outcome">{{#ru}}Итог, рекомендации{{/ru}}{{^ru}}Outcome, recommendations{{/ru}}</label><input id="pv-outcome" name="outcome" size="60">
        <p><button type="submit">{{#ru}}Записать{{/ru}}{{^ru}}Record{{/ru}}</button></p></form></details>{{/canLogEvent}}
        </section>
        """

    static let programme = """
        <h1>{{title}}</h1>
        <p>{{kind}}{{#risk}} · {{risk}}{{/risk}} · <a href="{{ownerLink}}">{{ownerName}}</a>{{#template}} · {{template}}{{/template}}</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p class="progress" role="status">{{progress}} <a href="/programmes/{{id}}/roadmap.xlsx" download>{{#ru}}Скачать дорожную карту (Excel){{/ru}}{{^ru}}Download the roadmap (Excel){{/ru}}</a></p>
        {{#hasGoals}}<h2>{{#ru}}Цели и задачи{{/ru}}{{^ru}}Goals and tasks{{/ru}}</h2><ul>{{#goals}}<li>{{.}}</li>{{/goals}}{{#tasks}}<li>{{.}}</li>{{/tasks}}</ul>{{/hasGoals}}

        <section id="indicators" aria-labelledby="ind-h"><h2 id="ind-h">{{#ru}}Показатели{{/ru}}{{^ru}}Indicators{{/ru}}</h2>
        {{^hasIndicators}}<p>{{#ru}}Показателей нет.{{/ru}}{{^ru}}No indicators.{{/ru}}</p>{{/hasIndicators}}
        {{#hasIndicators}}<table id="indicator-table"><thead><tr><th>{{#ru}}Показатель{{/ru}}{{^ru}}Indicator{{/ru}}</th><th class="num">{{#ru}}Исходное{{/ru}}{{^ru}}Baseline{{/ru}}</th><th class="num">{{#ru}}Цель{{/ru}}{{^ru}}Target{{/ru}}</th><th class="num">{{#ru}}Последнее{{/ru}}{{^ru}}Latest{{/ru}}</th><th>{{#ru}}Оценка{{/ru}}{{^ru}}Status{{/ru}}</th>{{#canWrite}}<th>{{#ru}}Внести значение{{/ru}}{{^ru}}Enter a value{{/ru}}</th>{{/canWrite}}</tr></thead><tbody>
        {{#indicators}}<tr><td>{{name}}<br><small>{{period}}{{#computed}} · {{#ru}}вычисляется по данным{{/ru}}{{^ru}}computed from data{{/ru}}{{/computed}}</small></td><td class="num">{{baseline}}</td><td class="num">{{target}}</td><td class="num">{{latest}}<br><small>{{latestPeriod}}</small></td><td><span class="light light-{{light}}">{{lightName}}</span></td>
        {{#canWrite}}<td>{{^computed}}<form method="post" action="/indicators/{{id}}/values" class="inline-form"><input type="hidden" name="csrf" value="{{csrf}}">
        <label class="sr-only" for="period-{{id}}">{{#ru}}Период{{/ru}}{{^ru}}Period{{/ru}}</label><input id="period-{{id}}" name="period" value="{{currentPeriod}}" size="8">
        <label class="sr-only" for="value-{{id}}">{{#ru}}Значение{{/ru}}{{^ru}}Value{{/ru}}</label><input id="value-{{id}}" name="value" size="6" inputmode="decimal" placeholder="{{unitHint}}">
        <button type="submit">OK</button></form>{{/computed}}</td>{{/canWrite}}</tr>{{/indicators}}
        </tbody></table>{{/hasIndicators}}
        {{#canWrite}}<details><summary>{{#ru}}Добавить показатель{{/ru}}{{^ru}}Add an indicator{{/ru}}</summary>
        <form method="post" action="/programmes/{{id}}/indicators" class="filters"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="i-name">{{#ru}}Показатель{{/ru}}{{^ru}}Indicator{{/ru}}</label><input id="i-name" name="name" size="40" required>
        <label for="i-unit">{{#ru}}Единица{{/ru}}{{^ru}}Unit{{/ru}}</label><select id="i-unit" name="unit">{{#units}}<option value="{{value}}">{{name}}</option>{{/units}}</select>
        <label for="i-direction">{{#ru}}Лучше, когда{{/ru}}{{^ru}}Better when{{/ru}}</label><select id="i-direction" name="direction"><option value="higher_is_better">{{#ru}}больше{{/ru}}{{^ru}}higher{{/ru}}</option><option value="lower_is_better">{{#ru}}меньше{{/ru}}{{^ru}}lower{{/ru}}</option></select>
        <label for="i-baseline">{{#ru}}Исходное{{/ru}}{{^ru}}Baseline{{/ru}}</label><input id="i-baseline" name="baseline" size="6" inputmode="decimal">
        <label for="i-target">{{#ru}}Цель{{/ru}}{{^ru}}Target{{/ru}}</label><input id="i-target" name="target" size="6" inputmode="decimal">
        <label for="i-period">{{#ru}}Период{{/ru}}{{^ru}}Period{{/ru}}</label><select id="i-period" name="period">{{#periods}}<option value="{{value}}">{{name}}</option>{{/periods}}</select>
        <button type="submit">{{#ru}}Добавить{{/ru}}{{^ru}}Add{{/ru}}</button></form></details>{{/canWrite}}
        </section>

        <section id="roadmap" aria-labelledby="roadmap-h"><h2 id="roadmap-h">{{#ru}}Дорожная карта{{/ru}}{{^ru}}Roadmap{{/ru}}</h2>
        {{#sections}}<h3>{{name}}</h3>
        <table class="roadmap"><thead><tr><th>{{#ru}}Мероприятие{{/ru}}{{^ru}}Measure{{/ru}}</th><th>{{#ru}}Срок{{/ru}}{{^ru}}Deadline{{/ru}}</th><th>{{#ru}}Ответственный{{/ru}}{{^ru}}Responsible{{/ru}}</th><th>{{#ru}}Ожидаемый результат{{/ru}}{{^ru}}Expected result{{/ru}}</th><th>{{#ru}}Статус и подтверждение{{/ru}}{{^ru}}Status and evidence{{/ru}}</th></tr></thead><tbody>
        {{#measures}}<tr id="measure-{{id}}" class="status-{{statusCode}}"><td>{{title}}{{#indicator}}<br><small>{{#ru}}показатель{{/ru}}{{^ru}}indicator{{/ru}}: {{indicator}}</small>{{/indicator}}</td><td>{{deadline}}</td><td>{{responsible}}</td><td>{{expected}}</td>
        <td><strong class="status">{{status}}</strong>{{#evidence}}<br>{{evidence}}{{/evidence}}
        {{#files}}<br><a href="/files/{{id}}">📎 {{name}}</a> <small>({{size}})</small>{{/files}}
        {{#comments}}<div class="comment"><small>{{at}}, {{author}} ({{role}}):</small> {{body}}</div>{{/comments}}
        <details><summary>{{#ru}}Изменить, приложить, прокомментировать{{/ru}}{{^ru}}Update, attach, comment{{/ru}}</summary>
        {{#canWrite}}<form method="post" action="/measures/{{id}}/update"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="status-{{id}}">{{#ru}}Статус{{/ru}}{{^ru}}Status{{/ru}}</label><select id="status-{{id}}" name="status">{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/statusOptions}}</select>
        <label for="evidence-{{id}}">{{#ru}}Подтверждение (что сделано){{/ru}}{{^ru}}Evidence (what was done){{/ru}}</label><textarea id="evidence-{{id}}" name="evidence" rows="2" cols="40">{{evidence}}</textarea>
        <label for="title-{{id}}">{{#ru}}Мероприятие{{/ru}}{{^ru}}Measure{{/ru}}</label><input id="title-{{id}}" name="title" value="{{title}}" size="50">
        <label for="responsible-{{id}}">{{#ru}}Ответственный{{/ru}}{{^ru}}Responsible{{/ru}}</label><input id="responsible-{{id}}" name="responsible" value="{{responsible}}" size="40">
        <label for="deadline-{{id}}">{{#ru}}Срок: дата или периодичность{{/ru}}{{^ru}}Deadline: a date or a recurrence{{/ru}}</label><input id="deadline-{{id}}" name="deadline" type="date" value="{{deadlineISO}}">
        <select name="recurrence" aria-label="{{#ru}}Периодичность{{/ru}}{{^ru}}Recurrence{{/ru}}"><option value="">{{#ru}}— к дате —{{/ru}}{{^ru}}— by the date —{{/ru}}</option>{{#recurrenceOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/recurrenceOptions}}</select>
        <button type="submit">{{#ru}}Сохранить{{/ru}}{{^ru}}Save{{/ru}}</button></form>
        <form method="post" action="/measures/{{id}}/files" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="file-{{id}}">{{#ru}}Файл (до 10 МБ){{/ru}}{{^ru}}File (up to 10 MB){{/ru}}</label><input id="file-{{id}}" type="file" name="file">
        <button type="submit">{{#ru}}Приложить{{/ru}}{{^ru}}Attach{{/ru}}</button></form>{{/canWrite}}
        {{#canComment}}<form method="post" action="/measures/{{id}}/comments"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="comment-{{id}}">{{#ru}}Комментарий{{/ru}}{{^ru}}Comment{{/ru}}</label><textarea id="comment-{{id}}" name="body" rows="2" cols="40"></textarea>
        <button type="submit">{{#ru}}Отправить{{/ru}}{{^ru}}Send{{/ru}}</button></form>{{/canComment}}
        </details></td></tr>{{/measures}}
        </tbody></table>{{/sections}}
        {{^sections}}<p>{{#ru}}Мероприятий пока нет.{{/ru}}{{^ru}}No measures yet.{{/ru}}</p>{{/sections}}
        {{#canWrite}}<form method="post" action="/programmes/{{id}}/measures" class="add-measure"><input type="hidden" name="csrf" value="{{csrf}}">
        <h3>{{#ru}}Новое мероприятие{{/ru}}{{^ru}}New measure{{/ru}}</h3>
        <label for="m-section">{{#ru}}Раздел{{/ru}}{{^ru}}Section{{/ru}}</label><select id="m-section" name="section">{{#sectionOptions}}<option value="{{value}}">{{name}}</option>{{/sectionOptions}}</select>
        <label for="m-title">{{#ru}}Мероприятие{{/ru}}{{^ru}}Measure{{/ru}}</label><input id="m-title" name="title" size="60" required>
        <label for="m-deadline">{{#ru}}Срок: дата или периодичность{{/ru}}{{^ru}}Deadline: a date or a recurrence{{/ru}}</label><input id="m-deadline" name="deadline" type="date">
        <select name="recurrence" aria-label="{{#ru}}Периодичность{{/ru}}{{^ru}}Recurrence{{/ru}}"><option value="">{{#ru}}— к дате —{{/ru}}{{^ru}}— by the date —{{/ru}}</option>{{#recurrences}}<option value="{{value}}">{{name}}</option>{{/recurrences}}</select>
        <label for="m-responsible">{{#ru}}Ответственный{{/ru}}{{^ru}}Responsible{{/ru}}</label><input id="m-responsible" name="responsible" size="40" required>
        <label for="m-expected">{{#ru}}Ожидаемый результат{{/ru}}{{^ru}}Expected result{{/ru}}</label><input id="m-expected" name="expected_result" size="60">
        <label for="m-indicator">{{#ru}}Показатель{{/ru}}{{^ru}}Indicator{{/ru}}</label><select id="m-indicator" name="indicator"><option value="">—</option>{{#indicators}}<option value="{{id}}">{{name}}</option>{{/indicators}}</select>
        <p><button type="submit">{{#ru}}Добавить{{/ru}}{{^ru}}Add{{/ru}}</button></p></form>{{/canWrite}}
        </section>
        """
}
