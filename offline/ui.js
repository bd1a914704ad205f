/* exempt-bot offline page: the interview's screens, as the bot shows them (interview/flow.py).
 * Every text comes from PAGE.texts (the rule base and the bot's catalogs, put in by offline/build.py),
 * named by id or key. State lives in this closure only: nothing is stored and nothing is sent. */
(function () {
  "use strict";
  var E = exemptEngine(EXEMPT_COMPILED);
  var DOCS = PAGE.documents ? exemptPapers(PAGE.documents) : null;
  window.exemptRules = {evaluate: E.evaluate, nextQuestion: E.nextQuestion, version: E.version};
  var P = PAGE;
  var EARLIEST = "2022-01-01";
  var S = {lang: P.lang, asOf: E.today(), facts: {}, dk: [], screen: "greeting", arg: null, verdict: false};
  var app = document.getElementById("app");

  // --- texts ------------------------------------------------------------------------------------
  function T() { return P.texts[S.lang]; }
  function fill(s, values) {
    for (var k in values) s = s.split("{" + k + "}").join(String(values[k]));
    return s;
  }
  function m(key, values) { return fill(T().m[key], values || {}); }
  function fmtDate(isoDay) {
    var p = isoDay.split("-"), d = T().date;
    return d.sample.replace(d.months[10], d.months[+p[1] - 1]).replace("2001", String(+p[0])).replace("22", String(+p[2]));
  }
  function addYears(isoDay, n) { return String(+isoDay.slice(0, 4) + n) + isoDay.slice(4); }

  // --- elements ---------------------------------------------------------------------------------
  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "onclick") el.addEventListener("click", attrs[k]);
      else el.setAttribute(k, attrs[k]);
    }
    function add(x) {
      if (Array.isArray(x)) x.forEach(add);
      else if (x !== null && x !== undefined && x !== false) el.appendChild(typeof x === "string" ? document.createTextNode(x) : x);
    }
    for (var i = 2; i < arguments.length; i++) add(arguments[i]);
    return el;
  }
  function para(text, cls) { return text ? h("p", cls ? {"class": cls} : {}, text) : null; }
  function button(label, action, cls) {
    return h("button", {type: "button", "class": cls || "nav", onclick: function () { action(); }}, label);
  }
  function row() { return h.apply(null, ["div", {"class": "row"}].concat([].slice.call(arguments))); }
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
  function plural(key, n, values) {
    var p = T().plural[key], i = p.index.charAt(Math.min(n, p.index.length - 1));
    return fill(p.forms[+i], values);
  }
  function asOfLine() {
    var today = S.asOf === E.today(), text = m(today ? "as_of_today" : "as_of_past", {date: fmtDate(S.asOf)});
    return para(text, today ? "asof" : "asof past");
  }
  function langSwitch() {
    var other = S.lang === "ru" ? "en" : "ru";
    return button(other === "en" ? "English" : "Русский", function () { S.lang = other; show(); }, "lang");
  }
  function screen(children, buttons) {
    var head = h("header", {}, h("strong", {}, m("header")), langSwitch());
    var asOf = null;
    while (app.firstChild) app.removeChild(app.firstChild);
    app.appendChild(head);
    [asOf, h("section", {}, children), h("nav", {}, buttons || [])].forEach(function (x) { if (x) app.appendChild(x); });
    document.documentElement.lang = S.lang;
    window.scrollTo(0, 0);
  }
  function go(name, arg) { S.screen = name; S.arg = arg === undefined ? null : arg; show(); }
  function show() { SCREENS[S.screen](S.arg); }

  // --- answers (RuleSet.choices, answer_label) --------------------------------------------------
  function bandOf(age) {
    var bands = E.ageBands(S.asOf);
    for (var i = 0; i < bands.length; i++) if (bands[i][0] <= age && age <= bands[i][1]) return bands[i];
    return [age, age];
  }
  function bandLabel(qid, lo, hi, index, count) {
    var b = T().questions[qid].bands;
    if (index === 0) return fill(b.under, {hi: hi + 1, lo: lo});
    if (index === count - 1) return fill(b.over, {lo: lo, hi: hi});
    return fill(lo === hi ? b.exact : b.range, {lo: lo, hi: hi});
  }
  function choices(qid) {
    var q = E.question(qid), tq = T().questions[qid];
    if (q.kind === "choice") return q.options.map(function (o) { return {id: o.id, label: tq.options[o.id], set: o.set}; });
    if (q.kind === "checklist") return q.facts.map(function (f) { var s = {}; s[f] = true; return {id: f, label: tq.items[f], set: s}; });
    if (q.kind === "age") {
      var bands = E.ageBands(S.asOf);
      return bands.map(function (b, i) {
        return {id: "age_" + b[0] + "_" + b[1], label: bandLabel(qid, b[0], b[1], i, bands.length), set: {age: i === 0 ? b[1] : b[0]}};
      });
    }
    var band = typeof S.facts.age === "number" ? bandOf(S.facts.age) : [0, 100], year = +S.asOf.slice(0, 4), out = [];
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
  function without(list, keys) { return list.filter(function (k) { return keys.indexOf(k) < 0; }); }
  function settle(facts, dk) {  // only the answers on the current path count (RuleSet.relevant)
    var rel = E.relevant(facts, S.asOf, dk);
    S.facts = rel.facts;
    S.dk = rel.dontKnow;
    go("ask");
  }
  function answer(qid, choice) {
    var keys = E.question(qid).facts, f = {};
    for (var k in S.facts) if (keys.indexOf(k) < 0) f[k] = S.facts[k];
    for (var s in choice.set) f[s] = choice.set[s];
    settle(f, without(S.dk, keys));
  }
  function dontKnow(qid) {
    var keys = E.question(qid).facts, f = {};
    for (var k in S.facts) if (keys.indexOf(k) < 0) f[k] = S.facts[k];
    settle(f, without(S.dk, keys).concat(keys));
  }
  function toggle(qid, fact) {
    if (S.facts[fact] === true) delete S.facts[fact]; else S.facts[fact] = true;
    S.dk = without(S.dk, E.question(qid).facts);
    go("ask", qid);
  }
  function checkDone(qid) {
    var f = {};
    for (var k in S.facts) f[k] = S.facts[k];
    E.question(qid).facts.forEach(function (k) { if (!(k in f)) f[k] = false; });
    settle(f, without(S.dk, E.question(qid).facts));
  }
  function back() {
    var path = E.path(S.facts, S.asOf, S.dk);
    if (!path.length) return go("greeting");
    var keys = E.question(path[path.length - 1]).facts, f = {};
    for (var k in S.facts) if (keys.indexOf(k) < 0) f[k] = S.facts[k];
    S.facts = f;
    S.dk = without(S.dk, keys);
    go("ask");
  }
  function restart() { S.facts = {}; S.dk = []; S.verdict = false; go("ask"); }
  function navRow() { return row(button(m("back"), back), button(m("restart"), restart)); }
  var SERVING = "serving_contract";  // already serving or mobilized: a screen about service, no verdict

  // --- screens ------------------------------------------------------------------------------------
  function page(name, arg) { return function () { go(name, arg); }; }
  function dateForm() {
    var input = h("input", {type: "date", id: "as-of", value: S.asOf, min: EARLIEST, max: addYears(E.today(), 5)});
    var error = h("p", {"class": "error", role: "alert"});
    function apply(value) {
      var day = E.parseDay(value);
      if (day === null || day < EARLIEST || day > addYears(E.today(), 5)) { error.textContent = m("offline_date_bad"); return; }
      S.asOf = day; S.facts = {}; S.dk = []; S.verdict = false;
      show();
    }
    return h("div", {"class": "date"}, h("label", {"for": "as-of"}, m("offline_date_label")), input,
             row(button(m("offline_date_apply"), function () { apply(input.value); }),
                 button(m("offline_date_today"), function () { apply(E.today()); })), error);
  }
  var SCREENS = {
    greeting: function () {
      S.verdict = false;
      // A date other than today was chosen below: say so, or pressing the apply-date button shows nothing.
      screen([S.asOf !== E.today() ? asOfLine() : null, para(m("greeting_what")), para(plural("typical", E.typicalTotal({}, S.asOf, []), {n: E.typicalTotal({}, S.asOf, [])})),
              para(m("greeting_scope")), para(m("offline_what"), "i"), para(m("offline_private"), "i")],
             [button(m("start"), restart, "primary"), button(m("serving"), page("guide", "already_serving")),
              row(button(m("summons"), page("guide", "summons")), button(m("get_help"), page("help"))),
              dateForm(),
              row(button(m("privacy"), page("privacy")), button(m("offline_about"), page("about"))),
              para(m("offline_version", {version: P.version, date: fmtDate(P.ruleDate)}), "i small"), para(m("offline_newer"), "i small")]);
    },
    ask: function (qid) {
      if (S.facts.military_status === SERVING) return go("service");
      var snap = E.snapshot(S.facts, S.asOf, S.dk), id = qid || snap.next;
      if (!id) return go("review");
      var q = E.question(id), tq = T().questions[id], inPath = snap.path.indexOf(id);
      var number = inPath >= 0 ? inPath + 1 : snap.path.length + 1;
      // "of about M" as the bot says it (flow.ask): the typical length, within the bound.
      var typical = E.typicalTotal(S.facts, S.asOf, S.dk);
      if (typical <= number && q.kind !== "checklist") {  // as flow.ask: the longest if this looks the last
        choices(id).forEach(function (c) {
          var f = {}, k;
          for (k in S.facts) f[k] = S.facts[k];
          for (k in c.set) f[k] = c.set[k];
          typical = Math.max(typical, E.typicalTotal(f, S.asOf, S.dk));
        });
      }
      var total = Math.max(number, Math.min(snap.path.length + snap.to_come, typical));
      var current = answerLabel(id), rows = [];
      choices(id).forEach(function (c) {
        if (q.kind === "checklist") {
          var on = S.facts[c.id] === true;
          rows.push(button((on ? "☑ " : "☐ ") + c.label, function () { toggle(id, c.id); }, "answer" + (on ? " on" : "")));
        } else {
          var chosen = current !== null && c.label === current;
          rows.push(button((chosen ? "● " : "") + c.label, function () { answer(id, c); }, "answer" + (chosen ? " on" : "")));
        }
      });
      if (q.kind === "checklist") rows.push(button(m("done"), function () { checkDone(id); }, "answer primary"));
      if (q.dontKnow) rows.push(button(m("dont_know"), function () { dontKnow(id); }, "answer"));
      rows.push(navRow());
      screen([para(plural("progress", total, {number: number, total: total}), "progress"), asOfLine(), h("h1", {}, tq.text),
              q.kind === "checklist" ? para(m("tick_hint"), "i") : null, para(tq.help, "help")], rows);
    },
    review: function () {
      var path = E.path(S.facts, S.asOf, S.dk), items = [], changes = [];
      path.forEach(function (qid, n) {
        var q = E.question(qid), a;
        if (q.facts.every(function (k) { return S.dk.indexOf(k) >= 0; })) a = m("dont_know");
        else {
          a = answerLabel(qid) || "";
          if (q.kind === "checklist" && !a) a = m("none_of_these");
        }
        items.push(h("li", {}, T().questions[qid].text, h("br"), "→ ", h("strong", {}, a)));
        changes.push(button("✏️ " + (n + 1), function () { go("ask", qid); }, "change"));
      });
      screen([h("h1", {}, m("review_title")), asOfLine(), h("ol", {}, items), para(m("review_hint"))],
             [button(m("see_result"), function () { S.verdict = true; go("verdict"); }, "primary"),
              h("div", {"class": "row changes"}, changes), navRow()]);
    },
    verdict: function () {
      if (S.facts.military_status === SERVING) return go("service");
      S.verdict = true;
      var v = verdict(), tx = T(), body = [h("h1", {"class": "outcome " + v.outcome}, tx.outcome[v.outcome])];
      if ((v.outcome === "conditional" || v.outcome === "undetermined") && v.missing.length) body.push(para(dependsOn(v.missing, 3)));
      // The one or two grounds that decide it (render._deciding), each with its main citation.
      var applying = v.grounds.filter(function (g) { return g.status === "applies"; }), deciding;
      if (applying.length) deciding = applying.filter(function (g) { return g.outcome === applying[0].outcome; }).slice(0, 2);
      else deciding = v.grounds.filter(function (g) { return g.status === "possible"; }).slice(0, 2);
      var why = deciding.map(function (g) {
        return h("li", {}, h("strong", {}, tx.grounds[g.id].title), g.status === "possible" ? " — " + m("may_apply") : null,
                 h("br"), citation(tx.grounds[g.id].cites[0]));
      });
      if (v.basis) why.push(h("li", {}, h("strong", {}, tx.bases[v.basis].title), h("br"), citation(tx.bases[v.basis].cites[0])));
      var more = applying.length - deciding.filter(function (g) { return g.status === "applies"; }).length;
      if (why.length) body.push(h("h2", {}, m(v.outcome !== "undetermined" ? "why" : "still_open")), h("ul", {"class": "grounds"}, why));
      if (more > 0) body.push(para(plural("more_grounds", more, {n: more}), "i"));
      if (v.skipped && (v.outcome === "not_subject" || v.outcome === "deferral")) body.push(para(m("settled"), "i"));
      if (v.steps.length) body.push(h("h2", {}, m("do_now")), h("ol", {"class": "steps"}, v.steps.slice(0, 3).map(function (id) { return h("li", {}, tx.steps[id]); })));
      if (v.caveats.length) body.push(h("h2", {}, m("important")), para(tx.caveats[v.caveats[0]], "caveat"));
      body.push(para(m("as_of_version", {date: fmtDate(v.as_of), version: v.rules_version}), "i"));
      screen(body, [
        row(button(m("all_grounds"), page("detail", "grounds")), button(m("what_to_do"), page("detail", "todo"))),
        row(button(m("caveats"), page("detail", "caveats")), button(m("get_help"), page("help"))),
        row(button(m("summons"), page("guide", "summons")), DOCS ? button(m("documents"), page("documents")) : null),
        row(button(m("restart"), restart), button(m("privacy"), page("privacy")))
      ]);
    },
    detail: function (which) {
      var docs = which === "todo" && DOCS ? button(m("documents"), page("documents")) : null;
      screen(DETAILS[which](verdict(), T()), [docs].concat(endRows()));
    },
    documents: function () {  // flow.documents: the documents that fit, one button each
      var kinds = DOCS.offered(verdict()), tx = T();
      screen([h("h1", {}, m("documents_title")), para(m(kinds.length ? "documents_page" : "documents_none"))],
             kinds.map(function (k) { return button(tx.documents[k].title, page("paper", k), "answer"); }).concat(endRows()));
    },
    paper: function (kind) {  // the document as it prints (page.css @media print), and its text to copy
      var p = DOCS.build(kind, verdict(), T().documents);
      if (p === null) return go("documents");
      var text = DOCS.plainText(p), status = h("p", {"class": "i", role: "status"});
      function lines(list, cls) { return list.map(function (x) { return h("p", cls ? {"class": cls} : {}, x); }); }
      function numbered(list) { return h("ol", {}, list.map(function (x) { return h("li", {}, x); })); }
      var body = [h("div", {"class": "to"}, lines(p.to), h("br"), lines(p.sender)),
                  h("h2", {"class": "heading"}, p.heading), para(p.subject, "subject")].concat(lines(p.intro));
      if (p.grounds.length) body.push(para(p.grounds_intro || p.grounds_heading), numbered(p.grounds));
      body.push(para(p.basis_heading + " " + p.basis), h("p", {}, h("strong", {}, p.requests_heading)), numbered(p.requests));
      if (p.deadline) body.push(para(p.deadline_heading + " " + p.deadline));
      if (p.attachments.length) body.push(para(p.attachments_heading), numbered(p.attachments));
      body.push(h("div", {"class": "sign"}, h("span", {}, p.date_line), h("span", {}, p.signature_line)),
                para(p.signature_hint, "hint"), h("div", {"class": "receipt"}, lines(p.receipt)));
      function copy() {
        var done = function () { status.textContent = m("documents_copied"); };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
        else fallback();
        function fallback() {  // no clipboard API (an old browser, a file:// rule): select and copy
          var area = h("textarea", {"class": "copy", readonly: "readonly"});
          area.value = text;
          document.body.appendChild(area);
          area.select();
          try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
          document.body.removeChild(area);
        }
      }
      screen([h("h1", {"class": "noprint"}, p.title), para(p.caption, "i noprint"), h("article", {"class": "paper", lang: "ru"}, body), status],
             [button(m("documents_print"), function () { window.print(); }, "primary"), button(m("documents_copy"), copy),
              button(m("documents_back"), page("documents"))].concat(endRows()));
    },
    service: function () {  // already serving or mobilized (flow.service): the guide, never a verdict
      S.verdict = true;
      screen(guideBody("already_serving"), [row(button(m("get_help"), page("help")), button(m("change_answer"), back)),
                                            row(button(m("restart"), restart), button(m("privacy"), page("privacy")))]);
    },
    guide: function (id) { screen(guideBody(id), endRows()); },
    help: function () {  // render.help_screen: independent help by what it does, then the state's
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
      screen(body, endRows());
    },
    privacy: function () {
      screen([h("h1", {}, m("privacy")), para(m("offline_private")), para(m("offline_delete"))], endRows());
    },
    about: function () {
      screen([h("h1", {}, m("offline_about")), para(m("offline_version", {version: P.version, date: fmtDate(P.ruleDate)})),
              para(m("offline_newer")), para(m("handles")), para(m("offline_what"))], endRows());
    }
  };
  function verdict() { return E.evaluate(S.facts, S.asOf, S.dk); }
  // Under the verdict: back to it; elsewhere: back to the greeting. Then start over and privacy.
  function endRows() {
    var first = S.verdict ? button(m("to_result"), page("verdict"), "primary") : button(m("back"), page("greeting"), "primary");
    return [first, row(button(m("restart"), restart), button(m("privacy"), page("privacy")))];
  }
  function guideBody(id) {
    var g = T().guides[id], body = [h("h1", {}, g.title)];
    g.sections.forEach(function (s) {
      if ((s.from && s.from > S.asOf) || (s.until && s.until < S.asOf)) return;
      body.push(h("h2", {}, s.heading), h("ul", {}, s.items.map(function (i) { return h("li", {}, i); })));
      if (s.cites.length) body.push(h("ul", {"class": "cites"}, s.cites.map(function (c) { return citeItem(c, false); })));
    });
    return body;
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
  function noteText(id) {
    var tx = T();
    return tx.notes[id] || tx.retro[id.replace(/_retroactive$/, "")] || "";
  }
  function groundBlock(g, tx) {
    var t = tx.grounds[g.id];
    return h("div", {"class": "ground"}, h("h3", {}, t.title + " — " + (tx.groundShort[g.id] || tx.outcomeShort[g.outcome])), para(t.explanation),
             para(t.note, "i"), h("ul", {"class": "cites"}, t.cites.map(function (c) { return citeItem(c, true); })),
             g.status === "possible" && g.needs.length ? para(dependsOn(g.needs), "i") : null);
  }
  var DETAILS = {
    grounds: function (v, tx) {
      var a = v.grounds.filter(function (g) { return g.status === "applies"; }), p = v.grounds.filter(function (g) { return g.status === "possible"; });
      var out = [h("h1", {}, m("all_grounds"))];
      if (a.length) out.push(h("h2", {}, m("grounds_apply")), a.map(function (g) { return groundBlock(g, tx); }));
      if (v.basis) out.push(h("h3", {}, tx.bases[v.basis].title), h("ul", {"class": "cites"}, tx.bases[v.basis].cites.map(function (c) { return citeItem(c, true); })));
      if (p.length) out.push(h("h2", {}, m("grounds_may_apply")), p.map(function (g) { return groundBlock(g, tx); }));
      if (v.skipped) out.push(para(plural("skipped", v.skipped, {n: v.skipped}), "i"));
      if (!a.length && !p.length && !v.basis) out.push(para(m("no_ground")));
      return out;
    },
    todo: function (v, tx) {
      var out = [h("h1", {}, m("what_to_do"))];
      if (v.steps.length) out.push(h("ol", {"class": "steps"}, v.steps.map(function (id) { return h("li", {}, tx.steps[id]); })));
      v.grounds.forEach(function (g) {
        if (g.status === "applies") out.push(h("div", {"class": "ground"}, h("h3", {}, tx.grounds[g.id].title), para(tx.grounds[g.id].todo)));
      });
      if (v.advice.length) out.push(h("h2", {}, m("worth_checking")), h("ul", {}, v.advice.map(function (id) { return h("li", {}, tx.advice[id]); })));
      return out;
    },
    caveats: function (v, tx) {
      return [h("h1", {}, m("caveats")), h("ul", {"class": "caveats"},
              v.notes.map(function (id) { return h("li", {}, noteText(id)); }),
              v.caveats.map(function (id) { return h("li", {}, tx.caveats[id]); }))];
    }
  };
  show();
})();
