/* exempt-bot offline page, the model: state and a pressed button in, the next screen out, as the
 * bot's flow (interview/flow.py) does. No DOM here: a screen is plain data (its rows of buttons,
 * laid out by interview/screens.py's description, PAGE.screens, and its content as element trees
 * {t: tag, a: attributes, k: children}), so tests run it in an embedded engine and ui.js draws it.
 * Every text comes from PAGE.texts (the rule base and the catalogs, put in by offline/build.py).
 * State lives in this closure only: nothing is stored and nothing is sent. */
function exemptModel(E, P, lang, asOf) {
  "use strict";
  var EARLIEST = "2022-01-01";
  var SERVING = "serving_contract";  // already serving or mobilized: a screen about service, no verdict
  // Not knowing the age means not knowing the birth year or month either (flow.ALSO_UNKNOWN).
  var ALSO_UNKNOWN = {age: ["birth_year", "birth_month"], birth_year: ["birth_month"]};
  // screen: greeting | ask | review | verdict | detail | page; arg: its question, detail or page;
  // from: the screen a page was opened from, for its "Back".
  // part: which part of a long guide a page shows.
  // edit: the question opened from the review (its ✏️), whose "Back" returns there (flow.FROM_REVIEW).
  var S = {lang: lang, asOf: asOf, facts: {}, dk: [], screen: "greeting", arg: null, from: null, part: 0, edit: null};

  // --- texts ------------------------------------------------------------------------------------
  function T() { return P.texts[S.lang]; }
  function fill(s, values) {
    for (var k in values) s = s.split("{" + k + "}").join(String(values[k]));
    return s;
  }
  function m(key, values) { return fill(T().m[key], values || {}); }
  function navLabel(id) { return P.screens.nav[id].label[S.lang]; }
  function fmtDate(isoDay) {
    var p = isoDay.split("-"), d = T().date;
    return d.sample.replace(d.months[10], d.months[+p[1] - 1]).replace("2001", String(+p[0])).replace("22", String(+p[2]));
  }
  function addYears(isoDay, n) { return String(+isoDay.slice(0, 4) + n) + isoDay.slice(4); }
  function plural(key, n, values) {
    var p = T().plural[key], i = p.index.charAt(Math.min(n, p.index.length - 1));
    return fill(p.forms[+i], values);
  }

  // --- content as element trees ----------------------------------------------------------------
  function h(tag, attrs) {
    var kids = [];
    function add(x) {
      if (Array.isArray(x)) x.forEach(add);
      else if (x !== null && x !== undefined && x !== false) kids.push(x);
    }
    for (var i = 2; i < arguments.length; i++) add(arguments[i]);
    return {t: tag, a: attrs || {}, k: kids};
  }
  function para(text, cls) { return text ? h("p", cls ? {"class": cls} : {}, text) : null; }
  function link(label, url) {
    return url ? h("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, label) : h("span", {}, label);
  }
  // One citation as the bot shows it (render.citation): the act, what kind of source, one date;
  // on the detail screens also how well it is checked.
  function citation(c, confidence) {
    var bits = [c.kind === "published" ? m("published_act") : c.kind === "statement" ? m("statement") :
                c.by ? m("unpublished_by", {source: c.by}) : m("unpublished")];
    if (c.date && c.label.indexOf(c.date) < 0) bits.push(c.date);
    var out = [link(c.label, c.url), " · " + bits.join(" · ")];
    if (confidence) out.push(" · ", h("em", {}, T().confidence[c.confidence]));
    return out;
  }
  function citeItem(c, confidence) { return h("li", {"class": "cite"}, citation(c, confidence)); }
  function asOfLine() {
    var today = S.asOf === E.today(), text = m(today ? "as_of_today" : "as_of_past", {date: fmtDate(S.asOf)});
    return para(text, today ? "asof" : "asof past");
  }

  // --- answers (RuleSet.choices, answer_label) --------------------------------------------------
  function bandOf(age, asOf) {
    var bands = E.ageBands(asOf);
    for (var i = 0; i < bands.length; i++) if (bands[i][0] <= age && age <= bands[i][1]) return bands[i];
    return [age, age];
  }
  function bandLabel(qid, lo, hi, index, count) {
    var b = T().questions[qid].bands;
    if (index === 0) return fill(b.under, {hi: hi + 1, lo: lo});
    if (index === count - 1) return fill(b.over, {lo: lo, hi: hi});
    return fill(lo === hi ? b.exact : b.range, {lo: lo, hi: hi});
  }
  function choices(qid, facts, asOf) {  // facts and asOf: the person's unless given
    facts = facts || S.facts; asOf = asOf || S.asOf;
    var q = E.question(qid), tq = T().questions[qid];
    if (q.kind === "choice") return q.options.map(function (o) { return {id: o.id, label: tq.options[o.id], set: o.set}; });
    if (q.kind === "checklist") return q.facts.map(function (f) { var s = {}; s[f] = true; return {id: f, label: tq.items[f], set: s}; });
    if (q.kind === "age") {
      var bands = E.ageBands(asOf);
      return bands.map(function (b, i) {
        return {id: "age_" + b[0] + "_" + b[1], label: bandLabel(qid, b[0], b[1], i, bands.length), set: {age: i === 0 ? b[1] : b[0]}};
      });
    }
    var band = typeof facts.age === "number" ? bandOf(facts.age, asOf) : [0, 100], year = +asOf.slice(0, 4), out = [];
    for (var y = year - band[1] - 1; y <= year - band[0]; y++) out.push({id: "y" + y, label: String(y), set: {birth_year: y}});
    return out;
  }
  function answerLabel(qid) {
    var q = E.question(qid), f = S.facts, tq = T().questions[qid];
    if (q.kind === "checklist") {
      var ticked = q.facts.filter(function (k) { return f[k] === true; }).map(function (k) { return tq.items[k]; });
      if (ticked.length) return ticked.join("; ");
      if (q.facts.every(function (k) { return f[k] === false; })) return tq.none || "";
      return null;
    }
    if (q.kind === "age") {
      if (typeof f.age !== "number") return null;
      var bands = E.ageBands(S.asOf);
      for (var i = 0; i < bands.length; i++) if (bands[i][0] <= f.age && f.age <= bands[i][1]) return bandLabel(qid, bands[i][0], bands[i][1], i, bands.length);
      return String(f.age);
    }
    var found = null;
    choices(qid).forEach(function (c) {
      if (found === null && Object.keys(c.set).every(function (k) { return f[k] === c.set[k]; })) found = c.label;
    });
    return found;
  }

  // --- transitions (flow._answer, _back) --------------------------------------------------------
  function without(list, keys) { return list.filter(function (k) { return keys.indexOf(k) < 0; }); }
  function others(keys) {
    var f = {};
    for (var k in S.facts) if (keys.indexOf(k) < 0) f[k] = S.facts[k];
    return f;
  }
  function go(name, arg) { S.screen = name; S.arg = arg === undefined ? null : arg; S.part = 0; S.edit = null; }
  // Only the answers on the current path count (RuleSet.relevant); a changed answer voids the
  // earlier ones it contradicts (flow._settle: a woman has no pregnant wife).
  function settle(facts, dk, keep) {
    for (;;) {
      try {
        var rel = E.relevant(facts, S.asOf, dk);
        S.facts = rel.facts;
        S.dk = rel.dontKnow;
        return go("ask");
      } catch (e) {
        var name = e && e.name, voids = name === "FactsError" ? e.keys.filter(function (k) { return k in facts && keep.indexOf(k) < 0; }) : [];
        if (!voids.length) throw e;
        voids.forEach(function (k) { delete facts[k]; });
      }
    }
  }
  function answer(qid, choice) {
    var keys = E.question(qid).facts, f = others(keys);
    for (var s in choice.set) f[s] = choice.set[s];
    settle(f, without(S.dk, keys), keys);
  }
  function dontKnow(qid) {
    var keys = E.question(qid).facts, unknown = keys.slice();
    keys.forEach(function (k) { (ALSO_UNKNOWN[k] || []).forEach(function (x) { unknown.push(x); }); });
    settle(others(unknown), without(S.dk, unknown).concat(unknown), keys);
  }
  function toggle(qid, fact) {
    if (S.facts[fact] === true) delete S.facts[fact]; else S.facts[fact] = true;
    S.dk = without(S.dk, E.question(qid).facts);
    var edit = S.edit;
    go("ask", qid);
    S.edit = edit;
  }
  function checkDone(qid) {
    var f = others([]);
    E.question(qid).facts.forEach(function (k) { if (!(k in f)) f[k] = false; });
    settle(f, without(S.dk, E.question(qid).facts), E.question(qid).facts);
  }
  // The question before the one shown (none shown: before the review or the service screen),
  // its answer marked ●, the answers after it kept (flow._back); from a question opened on the
  // review, the review (a checklist's ticks count as "Done").
  function back(shown) {
    if (shown && S.edit === shown) {
      var q = E.question(shown), f = others([]);
      if (q.kind === "checklist" && without(q.facts, S.dk).length) q.facts.forEach(function (k) { if (!(k in f)) f[k] = false; });
      return settle(f, S.dk, q.facts);
    }
    var path = E.path(S.facts, S.asOf, S.dk), cut = shown && path.indexOf(shown) >= 0 ? path.indexOf(shown) : path.length;
    if (cut === 0) return go("greeting");
    go("ask", path[cut - 1]);
  }
  function restart() { S.facts = {}; S.dk = []; go("ask"); }
  function bare() { S.facts = {}; S.dk = []; }  // pages carry no answers (flow._bare)
  function open(name) {  // a page, with the way back to where it was opened
    return function () {
      var from = S.screen === "page" ? S.from : {screen: S.screen, arg: S.arg};
      if (S.screen === "greeting" || S.screen === "page") bare();
      go("page", name);
      S.from = from;
    };
  }
  function detail(which) { return function () { go("detail", which); }; }
  function setAsOf(value) {  // the greeting's date form (the bot's /check YYYY-MM-DD)
    var day = E.parseDay(value);
    if (day === null || day < EARLIEST || day > addYears(E.today(), 5)) return m("offline_date_bad");
    S.asOf = day; bare(); go("greeting");
    return null;
  }

  // --- the notice screens (interview/notice_screens.py), computed by offline/notice.js ------------
  var N = P.notices ? exemptNotice(P.notices) : null;
  var NOTICE_DAYS = 60, DAYS_PER_PAGE = 20, DAYS_PER_ROW = 4;
  function noticeStart() { bare(); S.notice = {source: null, purpose: null, ago: null, page: 0, second: false}; go("notice"); }
  function noticeSet(changes) { return function () { for (var k in changes) S.notice[k] = changes[k]; }; }
  function noticeScreen() {
    var n = S.notice, L = P.notices.labels, head = [h("h1", {}, m("notice_title")), asOfLine()];
    var keep = {restart: noticeStart};
    if (n.source === null) {
      keep.back = function () { bare(); go("greeting"); };
      return {kind: "notice_question", rows: rows("notice_question", [], {"@answers": N.sources.map(function (id) {
        return [{label: L.sources[id][S.lang], cls: "answer", act: noticeSet({source: id})}];
      })}, keep), body: head.concat([h("h2", {}, m("notice_where"))])};
    }
    if (n.purpose === null) {
      keep.back = noticeSet({source: null});
      return {kind: "notice_question", rows: rows("notice_question", [], {"@answers": N.purposes.map(function (p) {
        return [{label: L.purposes[p[0]][S.lang], cls: "answer", act: noticeSet({purpose: p[0]})}];
      })}, keep), body: head.concat([h("h2", {}, m("notice_what")), para(m("notice_purpose_hint"), "i")])};
    }
    if (n.ago === null) {
      var first = n.page * DAYS_PER_PAGE, last = Math.min(first + DAYS_PER_PAGE, NOTICE_DAYS) - 1;
      var today = S.asOf === E.today(), days = [], lines = [], flags = [];
      for (var ago = first; ago <= last; ago++) {
        var iso = N.addDays(S.asOf, -ago), short = iso.slice(8, 10) + "." + iso.slice(5, 7);
        var label = ago === 0 && today ? m("notice_today", {date: short}) : ago === 1 && today ? m("notice_yesterday", {date: short}) : short;
        days.push({label: label, cls: "answer", act: noticeSet({ago: ago})});
      }
      for (var i = 0; i < days.length; i += DAYS_PER_ROW) lines.push(days.slice(i, i + DAYS_PER_ROW));
      if (n.page > 0) flags.push("later");
      if ((n.page + 1) * DAYS_PER_PAGE < NOTICE_DAYS) flags.push("earlier");
      keep.back = noticeSet({purpose: null, page: 0});
      keep.earlier = noticeSet({page: n.page + 1});
      keep.later = noticeSet({page: n.page - 1});
      keep.dont_know_date = noticeSet({ago: "unknown"});
      var r = rows("notice_date", flags, {"@days": lines}, keep);
      r.forEach(function (row) { row.forEach(function (b) { if (b.id === "dont_know_date") b.cls = "answer"; }); });
      return {kind: "notice_date", rows: r, body: head.concat([h("h2", {}, m("notice_when")), para(m("notice_when_hint", {n: NOTICE_DAYS}), "i")])};
    }
    var posted = n.ago === "unknown" ? null : N.addDays(S.asOf, -n.ago);
    var out = N.notice(n.source, n.purpose, posted, S.asOf, S.lang), body = head.slice();
    if (posted === null) body.push(para(m("notice_no_date")));
    else if (n.ago === 0) body.push(para(m("notice_posted_today", {date: N.shown(posted)})));
    else body.push(para(plural("notice_posted", n.ago, {date: N.shown(posted), n: n.ago, as_of: N.shown(S.asOf)})));
    body.push(h("h2", {}, out.title));
    if (!n.second) body.push(para(out.summary));
    body.push(para(m("notice_you"), "i"));  // whom the lines' "you" means (notice_screens.YOU_LINE)
    var shownLines = [];
    (n.second ? [["notice_law", out.requirements], ["notice_caveats", out.caveats]] : [["notice_dates", out.dates]]).forEach(function (block) {
      if (!block[1].length) return;
      block[1].forEach(function (line) { shownLines.push(line.text); });
      body.push(h("h3", {}, m(block[0])), h("ul", {"class": "notice"}, block[1].map(function (line) {
        return h("li", {}, line.text, h("ul", {"class": "cites"}, line.citations.map(function (c) {
          // as build._cite gives the other citations: the date as the bot shows it (render.short_date)
          var shown = {label: c.label, url: c.url, kind: c.kind, by: c.by, confidence: c.confidence,
                       date: c.date ? N.shown(c.date) : null};
          return citeItem(shown, true);
        })));
      })));
    });
    body.push(para(m("notice_footer"), "i"));
    keep.notice_back = noticeSet({ago: null, page: 0, second: false});
    keep.another_notice = noticeStart;
    keep.notice_law = keep.notice_dates = noticeSet({second: !n.second});
    return {kind: "notice_answer", mechanism: out.mechanism, headline: out.title, why: shownLines, rows: rows("notice_answer", [n.second ? "law_shown" : "dates_shown"], {}, keep), body: body};
  }

  // What each button does wherever it shows (interview/screens.py names them); a screen adds
  // the ones that need its question.
  var ACTIONS = {
    start: restart, start_questions: restart, restart: restart, notice: noticeStart,
    serving: open("guide:already_serving"), summons_page: open("guide:summons"),
    get_help_page: open("help"), privacy: open("privacy"), about_page: open("about"),
    lang: function () { S.lang = S.lang === "ru" ? "en" : "ru"; },
    back_page: function () { var f = S.from || {screen: "greeting", arg: null}; S.from = null; go(f.screen, f.arg); },
    back: function () { back(null); }, change_answer: function () { back(null); },
    see_result: function () { go("verdict"); }, change_answers: function () { go("review"); },
    grounds: detail("grounds"), todo: detail("todo"), caveats: detail("caveats"),
    get_help: detail("help"), guide_help: detail("help"), summons: detail("summons"),
    read_on: function () { if (S.screen === "page") S.part += 1; else go("detail", "service"); },
    previous_part: function () { S.part = Math.max(0, S.part - 1); },
    to_result: function () { go("verdict"); }, documents: detail("documents"),
    print: function () {}, copy_text: function () {}  // the renderer prints and copies (ui.js)
  };

  // How a button looks: the way forward stands out; done and dont_know read as answers.
  var CLASSES = {start: "primary", see_result: "primary", to_result: "primary", lang: "lang",
                 done: "answer primary", dont_know: "answer"};
  // The screen's rows as the description lays them out for the page; a slot ("@answers") stands
  // alone in its row and is replaced by the screen's rows for it.
  function rows(kind, flags, slots, actions) {
    var out = [];
    P.screens.screens[kind].forEach(function (ids) {
      var row = [];
      ids.forEach(function (id) {
        if (id.charAt(0) === "@") {
          out = out.concat((slots || {})[id] || []);
          return;
        }
        var nav = P.screens.nav[id];
        if (!nav || (nav.when && (flags || []).indexOf(nav.when) < 0)) return;
        row.push({id: id, label: navLabel(id), cls: CLASSES[id] || "nav", act: (actions || {})[id] || ACTIONS[id]});
      });
      if (row.length) out.push(row);
    });
    return out;
  }

  // --- screens: each returns {kind, body, rows} and what tests compare -------------------------
  var SCREENS = {
    greeting: function () {
      var counts = PROGRESS.counts(S.asOf);
      // A date other than today was chosen below: say so, or pressing the apply-date button shows nothing.
      return {kind: "greeting", dateForm: {label: m("offline_date_label"), apply: m("offline_date_apply"), today: m("offline_date_today")},
              rows: rows("greeting", [], {"@date": [[{slot: "date", value: S.asOf, min: EARLIEST, max: addYears(E.today(), 5)}]]}),
              body: [S.asOf !== E.today() ? asOfLine() : null, para(m("greeting_what")), para(m("counts", {known: counts[0], most: counts[1]})),
                     para(m("greeting_scope")), para(m("offline_what"), "i"), para(m("offline_private"), "i"),
                     para(m("offline_version", {version: P.version, date: fmtDate(P.ruleDate)}), "i small"), para(m("offline_newer"), "i small")]};
    },
    ask: function (qid) {
      if (S.facts.military_status === SERVING && (!qid || E.question(qid).facts.indexOf("military_status") < 0)) return SCREENS.service();
      var snap = E.snapshot(S.facts, S.asOf, S.dk), id = qid || snap.next;
      if (!id) return SCREENS.review();
      var q = E.question(id), tq = T().questions[id], inPath = snap.path.indexOf(id);
      var number = inPath >= 0 ? inPath + 1 : snap.path.length + 1;
      // "of at most M" as the bot says it (flow.ask): the longest the interview can still be.
      var earlier = PROGRESS.before(snap.path.slice(0, number - 1), S.facts, S.dk);
      var total = Math.max(number, PROGRESS.totalBound(earlier[0], earlier[1], S.asOf, id, number - 1));
      var current = answerLabel(id), answers = [];
      choices(id).forEach(function (c) {
        if (q.kind === "checklist") {
          var on = S.facts[c.id] === true;
          answers.push([{label: (on ? "☑ " : "☐ ") + c.label, cls: "answer" + (on ? " on" : ""), act: function () { toggle(id, c.id); }}]);
        } else {
          var chosen = current !== null && c.label === current;
          answers.push([{label: (chosen ? "● " : "") + c.label, cls: "answer" + (chosen ? " on" : ""), act: function () { answer(id, c); }}]);
        }
      });
      var flags = [];
      if (q.kind === "checklist") flags.push("checklist");
      if (q.dontKnow) flags.push("dont_know");
      var r = rows("question", flags, {"@answers": answers}, {
        done: function () { checkDone(id); }, dont_know: function () { dontKnow(id); },
        back: function () { back(id); }
      });
      var progress = m("progress", {number: number, total: total});
      return {kind: "question", question: id, progress: progress, rows: r,
              body: [para(progress, "progress"), asOfLine(), h("h1", {}, tq.text),
                     q.kind === "checklist" ? para(m("tick_hint"), "i") : null, para(tq.help, "help")]};
    },
    review: function () {
      // The unknown answers on one line for all (render.review), with the numbers of their ✏️.
      var path = E.path(S.facts, S.asOf, S.dk), items = [], changes = [], given = [], unknown = [];
      path.forEach(function (qid, n) {
        var q = E.question(qid), a;
        if (q.facts.every(function (k) { return S.dk.indexOf(k) >= 0; })) unknown.push(n + 1);
        else {
          a = answerLabel(qid) || "";
          if (q.kind === "checklist" && !a) a = m("none_of_these");
          given.push(a);
          items.push(h("li", {value: n + 1}, T().questions[qid].review || T().questions[qid].text, h("br"), "→ ", h("strong", {}, a)));
        }
        changes.push({label: "✏️ " + (n + 1), cls: "change", act: function () { go("ask", qid); S.edit = qid; }});
      });
      var runs = unknown.filter(function (n, i) { return unknown[i - 1] !== n - 1; }).map(function (n) {
        for (var e = n; unknown.indexOf(e + 1) >= 0; e++);
        return e > n ? n + "–" + e : n;
      }).join(", ") + " → ";
      if (unknown.length) given.push(runs + navLabel("dont_know"));
      var lines = [];
      for (var i = 0; i < changes.length; i += 5) lines.push(changes.slice(i, i + 5));
      return {kind: "review", answers: given, rows: rows("review", [], {"@changes": lines}),
              body: [h("h1", {}, m("review_title")), asOfLine(), h("ol", {}, items),
                     unknown.length ? h("p", {}, runs, h("strong", {}, navLabel("dont_know"))) : null,
                     para(m("review_hint"))]};
    },
    verdict: function () {
      if (S.facts.military_status === SERVING) return SCREENS.service();
      // One line per mechanism that concerns the person, the most pressing first (render.verdict);
      // the rest is about that one, mobilization keeping its headline and skipped grounds.
      var v = verdict(), tx = T(), shown = mechanisms(v), body = [];
      var x = shown[0] && shown[0].id !== "mobilization" ? shown[0] : v;
      var parts = shown.map(function (s) { return mechLine(s, tx); }), lines = parts.map(function (p) { return p.join(""); });
      var headline = x === v ? tx.outcome[v.outcome] : parts[0][0];
      if (parts[0]) body.push(h("p", {"class": "mechanisms"}, h("strong", {}, parts[0][0]), parts[0][1], lines.slice(1).map(function (l) { return [h("br"), l]; })));
      if (x === v) body.push(h("h1", {"class": "outcome " + v.outcome}, headline));
      // The sentence under the headline (render.OUTCOME_DETAIL); mobilization's "can be called
      // up" under another call-up's line gets its "if it resumes" too.
      var note = x === v || (v.outcome === "subject" && shown.some(function (s) { return s.id === "mobilization"; }))
        ? T().m["outcome_detail_" + v.outcome] || null : null;
      if (note) body.push(para(note));
      if ((x.outcome === "conditional" || x.outcome === "undetermined") && x.missing.length) body.push(para(dependsOn(x.missing, 3)));
      // The one or two grounds that decide it (render._deciding), each with its main citation.
      var applying = x.grounds.filter(is("applies")), deciding;
      if (applying.length) deciding = applying.filter(function (g) { return g.outcome === applying[0].outcome; }).slice(0, 2);
      else {  // those the answers given bear on first; none when unknown answers alone left all open
        var B = blind(), all = x.grounds.filter(is("possible")), bearing = all.filter(function (g) { return g.id in B && g.needs.slice().sort().join() !== B[g.id]; });
        deciding = bearing.length || all.length < 3 ? bearing.concat(without(all, bearing)).slice(0, 2) : [];
      }
      var blindLine = !deciding.length && x.grounds.some(is("possible"));
      var why = deciding.map(function (g) {
        return h("li", {}, h("strong", {}, tx.grounds[g.id].title), g.status === "possible" ? " — " + m("may_apply") : null,
                 h("br"), citation(tx.grounds[g.id].cites[0]));
      });
      var titles = (blindLine ? [m("blind")] : []).concat(deciding.map(function (g) { return tx.grounds[g.id].title; }));
      // Then the rule it rests on, and each other mechanism's deciding ground (or rule) too.
      [x].concat(shown.slice(1)).forEach(function (o, n) {
        var g = n && o.grounds.filter(is("applies"))[0], b = g ? tx.grounds[g.id] : basisFor(o, tx);
        if (b) { titles.push(b.title); why.push(h("li", {}, h("strong", {}, b.title), h("br"), citation(b.cites[0]))); }
      });
      var more = applying.length - deciding.filter(is("applies")).length;
      if (why.length || blindLine) body.push(h("h2", {}, m(x.outcome !== "undetermined" ? "why" : "still_open")));
      if (blindLine) body.push(para(m("blind"), "i"));
      if (why.length) body.push(h("ul", {"class": "grounds"}, why));
      if (more > 0) body.push(para(plural("more_grounds", more, {n: more}), "i"));
      if (x === v && v.skipped && (v.outcome === "not_subject" || v.outcome === "deferral")) body.push(para(m("settled"), "i"));
      // A date the law fixes comes first (render.verdict: date_line), then the steps.
      var steps = (x.missing.length ? [] : x.dates || []).map(function (d) { return fmtDate(d[1]) + ": " + tx.deadlines[d[0]]; }).concat(x.steps.map(function (id) { return tx.steps[id]; })).slice(0, 3);
      if (steps[0]) body.push(h("h2", {}, m("do_now")), h("ol", {"class": "steps"}, steps.map(function (s) { return h("li", {}, s); })));
      if (x.caveats.length) body.push(h("h2", {}, m("important")), para(tx.caveats[x.caveats[0]], "caveat"));
      body.push(para(m("as_of_version", {date: fmtDate(v.as_of), version: v.rules_version}), "i"));
      return {kind: "verdict", headline: headline, note: note, outcome: x.outcome, mechanisms: lines, why: titles, rows: rows("verdict", ["documents"]), body: body};
    },
    detail: function (which) {
      if (which === "documents") return documentsScreen();
      var body = which === "help" ? helpBody() : which === "summons" ? guideBody("summons", undefined, undefined, summonsMechanism()) :
                 which === "service" ? guideBody("already_serving", 1, Infinity) : DETAILS[which](verdict(), T());
      var guide = which === "summons" || which === "service";  // where to get help is one press away
      return {kind: "detail", detail: which, rows: rows("detail", guide ? ["guide"] : which === "todo" ? ["documents"] : []), body: body};
    },
    service: function () {  // already serving or mobilized (flow.service): the guide, never a verdict
      var parts = guideParts("already_serving").length;
      return {kind: "service", rows: rows("service", parts > 1 ? ["read_on"] : []), body: guideBody("already_serving", 0, 1)};
    },
    notice: function () { return noticeScreen(); },
    paper: function (kind) {  // one document as a sheet to print (the bot sends it as a PDF)
      var p = PA.build(kind, verdict(), T());
      if (p === null) return documentsScreen();
      var text = PA.plainText(p);
      return {kind: "paper", paper: kind, text: text, file: p.file, rows: rows("paper"),
              body: [h("h1", {}, p.title), para(p.caption, "i"), h("pre", {"class": "sheet"}, text)]};
    },
    page: function (name) {
      var body;
      if (name === "help") body = helpBody();
      else if (name === "privacy") body = [h("h1", {}, navLabel("privacy")), para(m("offline_private")), para(m("offline_delete"))];
      else if (name === "about") {
        body = [h("h1", {}, navLabel("about_page")), para(m("offline_version", {version: P.version, date: fmtDate(P.ruleDate)})),
                para(m("offline_newer")), para(m("handles")), para(m("offline_what"))];
      } else {  // a guide: a long one in parts (the first on one phone screen)
        var id = name.slice("guide:".length), count = id === "already_serving" ? guideParts(id).length : 1;
        S.part = Math.min(S.part, count - 1);
        var flags = [];
        if (S.part > 0) flags.push("previous_part");
        if (S.part + 1 < count) flags.push("read_on");
        return {kind: "page", page: name, part: S.part, rows: rows("guide", flags),
                body: count > 1 ? guideBody(id, S.part, S.part + 1) : guideBody(id, undefined, undefined, noticeMechanism())};
      }
      return {kind: "page", page: name, rows: rows("page"), body: body};
    }
  };
  function verdict() { return E.evaluate(S.facts, S.asOf, S.dk); }
  // Each ground's open facts when nothing is known, per day (flow._blind).
  var BLIND = {};
  function blind() {
    var b = BLIND[S.asOf], v = b || E.evaluate({}, S.asOf);
    if (!b) for (var k in (b = BLIND[S.asOf] = {}, v.mechanisms)) v.mechanisms[k].grounds.forEach(function (g) { b[g.id] = g.needs.slice().sort().join(); });
    return b;
  }
  // The written documents that fit (flow.documents): a button each, which opens its print view.
  var PA = P.papers ? exemptPapers(P.papers) : null;
  function documentsScreen() {
    var kinds = PA ? PA.offered(verdict()) : [], tx = T();
    var choices = kinds.map(function (kind) {
      return [{label: tx.papers[kind].title, cls: "answer", act: function () {
        go("paper", kind);
        S.from = {screen: "detail", arg: "documents"};
      }}];
    });
    return {kind: "detail", detail: "documents", documents: kinds, rows: rows("documents", [], {"@documents": choices}),
            body: [h("h1", {}, m("documents_title")), para(m(kinds.length ? "documents_intro" : "documents_none"))]};
  }
  function helpBody() {  // render.help_screen: independent help by what it does, then the state's
    var tx = T(), groups = {}, body = [h("h1", {}, m("help_title"))];
    tx.resources.forEach(function (r) {
      (groups[r.kind] = groups[r.kind] || []).push(h("li", {"class": "resource"}, h("strong", {}, r.title), ". " + r.text,
        r.contacts.length ? h("div", {}, r.contacts.map(function (c, i) { return [i ? " · " : "", link(c[0], c[1])]; })) : null,
        r.status ? para(r.status, "i") : null, r.warning ? para("⚠️ " + r.warning, "warning") : null,
        para(m("checked_on", {date: r.checked}), "i small")));
    });
    ["lawyers", "human_rights", "already_mobilized", "state"].forEach(function (k) {
      if (groups[k]) body.push(h("h2", {}, tx.kinds[k]), h("ul", {}, groups[k]));
    });
    return body;
  }
  // How many sections of guide `id` in force on the day checked each part holds, as the bot
  // breaks it (render.guide_pages, resolved by the build for every stretch of days).
  function guideParts(id) {
    var found = [];
    T().guideParts[id].forEach(function (s) { if (s[0] <= S.asOf) found = s[1]; });
    return found.length ? found : [Infinity];
  }
  // Guide `id`, its sections in force on the day checked; with `first` and `end`, only the
  // parts from `first` up to `end` (not included).
  // and for the call-up `mech` ("unknown": none in view; rules/guides.py).
  function guideBody(id, first, end, mech) {
    mech = mech || "unknown";
    var g = T().guides[id], shown = g.sections.filter(function (s) {
      return !((s.from && s.from > S.asOf) || (s.until && s.until < S.asOf)) &&
        (!s.mechanisms || s.mechanisms.indexOf(mech) >= 0);
    });
    var lo = 0, hi = shown.length;
    if (first !== undefined) {
      var parts = guideParts(id), start = 0;
      for (var i = 0; i < parts.length; i++) {
        if (i === first) lo = start;
        start += parts[i];
        if (i + 1 === end) hi = start;
      }
      if (first >= parts.length) lo = hi;
    }
    var body = [h("h1", {}, first ? g.title + " · " + g.more : g.title)];
    shown.slice(lo, hi).forEach(function (s) {
      body.push(h("h2", {}, s.heading), h("ul", {}, s.items.map(function (i) { return h("li", {}, i); })));
      if (s.cites.length) body.push(h("ul", {"class": "cites"}, s.cites.map(function (c) { return citeItem(c, false); })));
    });
    return body;
  }
  // The call-up a summons guide is for (render.summons_mechanism; notice_screens.purpose_mechanism).
  function summonsMechanism() { var shown = mechanisms(verdict()); return shown.length ? shown[0].id : "unknown"; }
  function noticeMechanism() {
    var n = S.from && S.from.screen === "notice" && S.notice, found = "unknown";
    if (n && n.purpose) N.purposes.forEach(function (p) { if (p[0] === n.purpose) found = p[1]; });
    return found;
  }
  function dependsOn(keys, most) {  // render.depends_on: clauses joined by commas and a final "and"
    var clauses = keys.map(function (k) { return T().factNames[k] || k; });
    if (most && clauses.length > most + 1) {  // the first few, then "N more" (render.DEPENDS_ON_MOST)
      var rest = clauses.length - most;
      clauses = clauses.slice(0, most).concat([plural("more_things", rest, {n: rest})]);
    }
    var things = clauses.length <= 1 ? clauses.join("") : m("and", {first: clauses.slice(0, -1).join(", "), last: clauses[clauses.length - 1]});
    return m("depends_on", {things: things});
  }
  // The mechanisms that concern the person, the most pressing first (render.mechanisms).
  // Outcomes and then render.MECHANISM_ORDER on a tie; mobilization first while under way.
  var ORDER = ["subject", "undetermined", "conditional", "deferral", "not_subject", "conscription", "assemblies", "mobilization"];
  function mechanisms(v) {
    var w = v.as_of >= "2022-09-21" && v.as_of <= "2022-10-28";  // render.MOBILIZATION_UNDER_WAY
    function rank(x) { return (w && x.id === "mobilization" ? 0 : 99) + 9 * ORDER.indexOf(x.outcome) + ORDER.indexOf(x.id); }
    return Object.keys(v.mechanisms).map(function (id) { return v.mechanisms[id]; }).filter(function (x) { return x.concerns; }).sort(function (a, b) { return rank(a) - rank(b); });
  }
  function is(status) { return function (g) { return g.status === status; }; }
  // render.ground_outcome and outcome_key: "by_law" when every cite is of that kind.
  function onLaw(g, tx) { return g.outcome === "conditional" && tx.grounds[g.id].cites.every(function (c) { return c.kind === "published"; }); }
  function outKey(x, tx) { return x.outcome === "conditional" && x.grounds.some(function (g) { return g.status === "applies" && onLaw(g, tx); }) ? "by_law" : x.outcome; }
  function mechLine(x, tx) {  // render.mechanism_line
    var g = x.grounds.filter(is("applies"))[0];
    return [fill(tx.mechanism[x.id], {outcome: tx.mechOutcome[outKey(x, tx)]}),
      (g && ORDER.indexOf(x.outcome) > 1 ? " — " + tx.grounds[g.id].title.split(": ")[0] : "") + (x.until ? m("until", {date: fmtDate(x.until)}) : "")];
  }
  function basisFor(x, tx) {  // the rule a "subject" answer rests on: the verdict's, or a mechanism's
    return x.basis ? (x.id && x.id !== "mobilization" ? tx.mechBases[x.id] : tx.bases)[x.basis] : null;
  }
  // The detail screens' sections (render._sections): by mechanism, each headed by its line.
  function sections(v, tx) {
    var parts = mechanisms(v).map(function (s) { return [mechLine(s, tx).join(""), s.id === "mobilization" ? v : s]; });
    return parts[1] ? parts : [[null, parts[0] ? parts[0][1] : v]];
  }
  function noteText(id) {
    var tx = T();
    return tx.notes[id] || tx.retro[id.replace(/_retroactive$/, "")] || "";
  }
  function groundBlock(g, tx) {
    var t = tx.grounds[g.id];
    return h("div", {"class": "ground"}, h("h3", {}, t.title + " — " + (tx.groundShort[g.id] || tx.outcomeShort[onLaw(g, tx) ? "by_law" : g.outcome])), para(t.explanation),
             para(t.note, "i"), h("ul", {"class": "cites"}, t.cites.map(function (c) { return citeItem(c, true); })),
             g.status === "possible" && g.needs.length ? para(dependsOn(g.needs), "i") : null);
  }
  var DETAILS = {
    grounds: function (v, tx) {
      var out = [h("h1", {}, navLabel("grounds"))];
      sections(v, tx).forEach(function (sec) {
        var x = sec[1], basis = basisFor(x, tx);  // x.skipped: mobilization's only
        var a = x.grounds.filter(is("applies")), p = x.grounds.filter(is("possible"));
        out.push(sec[0] && h("h2", {}, sec[0]));
        function blocks(gs) { return gs.map(function (g) { return groundBlock(g, tx); }); }
        if (a.length) out.push(h("h2", {}, m("grounds_apply")), blocks(a));
        if (basis) out.push(h("h3", {}, basis.title), h("ul", {"class": "cites"}, basis.cites.map(function (c) { return citeItem(c, true); })));
        if (p.length) out.push(h("h2", {}, m("grounds_may_apply")), blocks(p));
        if (x.skipped) out.push(para(plural("skipped", x.skipped, {n: x.skipped}), "i"));
        if (!a.length && !p.length && !basis) out.push(para(m("no_ground")));
      });
      return out;
    },
    todo: function (v, tx) {
      var out = [h("h1", {}, navLabel("todo"))];
      sections(v, tx).forEach(function (sec) {
        var x = sec[1];
        out.push(sec[0] && h("h2", {}, sec[0]));
        if (x.steps.length) out.push(h("ol", {"class": "steps"}, x.steps.map(function (id) { return h("li", {}, tx.steps[id]); })));
        x.grounds.forEach(function (g) {
          if (g.status === "applies") out.push(h("div", {"class": "ground"}, h("h3", {}, tx.grounds[g.id].title), para(tx.grounds[g.id].todo)));
        });
        (x.dates || v.mechanisms.mobilization.dates).forEach(function (d) { out.push(h("p", {}, h("strong", {}, fmtDate(d[1])), ": " + tx.deadlines[d[0]])); });
      });
      if (v.advice.length) out.push(h("h2", {}, m("worth_checking")), h("ul", {}, v.advice.map(function (id) { return h("li", {}, tx.advice[id]); })));
      return out;
    },
    caveats: function (v, tx) {  // each said once, under the first mechanism it concerns
      var out = [h("h1", {}, navLabel("caveats"))], said = {};
      sections(v, tx).forEach(function (sec) {
        var items = sec[1].notes.map(function (id) { return [id, noteText(id)]; }).concat(sec[1].caveats.map(function (id) { return [id, tx.caveats[id]]; }))
          .filter(function (c) { return !said[c[0]] && (said[c[0]] = 1); });
        if (items.length) out.push(sec[0] && h("h2", {}, sec[0]), h("ul", {"class": "caveats"}, items.map(function (c) { return h("li", {}, c[1]); })));
      });
      return out;
    }
  };

  var PROGRESS = exemptProgress(E);  // the question counts (offline/progress.js)
  var current = null;
  function view() {
    current = SCREENS[S.screen](S.arg);
    current.body = h("div", {}, current.body).k;  // flat, without the empty parts
    current.lang = S.lang;
    current.header = m("header");
    current.asOf = S.asOf;
    return current;
  }
  // The buttons of the current screen in order, as pressed by number.
  function buttons() {
    var out = [];
    current.rows.forEach(function (row) { row.forEach(function (b) { if (!b.slot) out.push(b); }); });
    return out;
  }
  view();
  return {
    view: function () { return current; },
    /* Press button `b` of the current screen (an object from its rows, or its number in reading
     * order) and show the next screen. */
    press: function (b) {
      if (typeof b === "number") b = buttons()[b];
      b.act();
      return view();
    },
    /* The greeting's date form: an error message, or null when the date is taken. */
    setAsOf: function (value) { var error = setAsOf(value); view(); return error; }
  };
}
