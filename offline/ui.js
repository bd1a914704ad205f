/* exempt-bot offline page: the interview's screens, as the bot shows them (interview/flow.py).
 * Every text comes from PAGE.texts (the rule base and the bot's catalogs, put in by offline/build.py),
 * named by id or key. State lives in this closure only: nothing is stored and nothing is sent. */
(function () {
  "use strict";
  var E = exemptEngine(EXEMPT_COMPILED);
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
      // One line per mechanism that concerns the person, the most pressing first (render.verdict);
      // the rest is about that one, mobilization keeping its headline and skipped grounds.
      var v = verdict(), tx = T(), shown = mechanisms(v), body = [];
      var x = !shown.length || shown[0].id === "mobilization" ? v : shown[0];
      var lines = shown.map(function (s) { return mechanismLine(s, tx); });
      if (x === v) {
        if (lines.length) body.push(h("p", {"class": "mechanisms"}, lines.map(function (l, n) { return [n ? h("br") : null, n ? l : h("strong", {}, l)]; })));
        body.push(h("h1", {"class": "outcome " + v.outcome}, tx.outcome[v.outcome]));
      } else {
        body.push(h("h1", {"class": "outcome " + x.outcome}, lines[0]));
        if (lines.length > 1) body.push(h("p", {"class": "mechanisms"}, lines.slice(1).map(function (l, n) { return [n ? h("br") : null, l]; })));
      }
      if ((x.outcome === "conditional" || x.outcome === "undetermined") && x.missing.length) body.push(para(dependsOn(x.missing, 3)));
      // The one or two grounds that decide it (render._deciding), each with its main citation.
      var applying = x.grounds.filter(function (g) { return g.status === "applies"; }), deciding;
      if (applying.length) deciding = applying.filter(function (g) { return g.outcome === applying[0].outcome; }).slice(0, 2);
      else deciding = x.grounds.filter(function (g) { return g.status === "possible"; }).slice(0, 2);
      var why = deciding.map(function (g) {
        return h("li", {}, h("strong", {}, tx.grounds[g.id].title), g.status === "possible" ? " — " + m("may_apply") : null,
                 h("br"), citation(tx.grounds[g.id].cites[0]));
      });
      var basis = basisOf(x, tx);
      if (basis) why.push(h("li", {}, h("strong", {}, basis.title), h("br"), citation(basis.cites[0])));
      var more = applying.length - deciding.filter(function (g) { return g.status === "applies"; }).length;
      if (why.length) body.push(h("h2", {}, m(x.outcome !== "undetermined" ? "why" : "still_open")), h("ul", {"class": "grounds"}, why));
      if (more > 0) body.push(para(plural("more_grounds", more, {n: more}), "i"));
      if (x === v && v.skipped && (v.outcome === "not_subject" || v.outcome === "deferral")) body.push(para(m("settled"), "i"));
      if (x.steps.length) body.push(h("h2", {}, m("do_now")), h("ol", {"class": "steps"}, x.steps.slice(0, 3).map(function (id) { return h("li", {}, tx.steps[id]); })));
      if (x.caveats.length) body.push(h("h2", {}, m("important")), para(tx.caveats[x.caveats[0]], "caveat"));
      body.push(para(m("as_of_version", {date: fmtDate(v.as_of), version: v.rules_version}), "i"));
      screen(body, [
        row(button(m("all_grounds"), page("detail", "grounds")), button(m("what_to_do"), page("detail", "todo"))),
        row(button(m("caveats"), page("detail", "caveats")), button(m("get_help"), page("help"))),
        button(m("summons"), page("guide", "summons")),
        row(button(m("restart"), restart), button(m("privacy"), page("privacy")))
      ]);
    },
    detail: function (which) {
      screen(DETAILS[which](verdict(), T()), endRows());
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
  // The mechanisms that concern the person, the most pressing first (render.mechanisms).
  var MECHANISM_ORDER = ["conscription", "assemblies", "mobilization"];
  var PRESSING = {subject: 0, undetermined: 1, conditional: 2, deferral: 3, not_subject: 4};
  var UNDER_WAY = ["2022-09-21", "2022-10-28"];  // render.MOBILIZATION_UNDER_WAY: mobilization first
  function mechanisms(v) {
    var underWay = UNDER_WAY[0] <= v.as_of && v.as_of <= UNDER_WAY[1];
    function rank(x) {
      var n = MECHANISM_ORDER.indexOf(x.id);
      return [underWay && x.id === "mobilization" ? 0 : 1, PRESSING[x.outcome], n < 0 ? MECHANISM_ORDER.length : n];
    }
    return Object.keys(v.mechanisms).filter(function (id) { return v.mechanisms[id].concerns; })
      .map(function (id) { var o = {id: id}; for (var k in v.mechanisms[id]) o[k] = v.mechanisms[id][k]; return o; })
      .sort(function (a, b) { var p = rank(a), q = rank(b); return (p[0] - q[0]) || (p[1] - q[1]) || (p[2] - q[2]); });
  }
  function mechanismLine(x, tx) {  // render.mechanism_line
    var line = m("mech_line", {mechanism: tx.mechanism[x.id] || x.id, outcome: tx.mechOutcome[x.outcome]});
    var applying = x.grounds.filter(function (g) { return g.status === "applies"; });
    if (applying.length && ["not_subject", "deferral", "conditional"].indexOf(x.outcome) >= 0) line += " — " + tx.grounds[applying[0].id].title.split(": ")[0];
    if (x.until) line += m("until", {date: fmtDate(x.until)});
    return line;
  }
  function basisOf(x, tx) {  // the rule a "subject" answer rests on: the verdict's, or a mechanism's
    if (!x.basis) return null;
    return x.id ? ((tx.mechBases[x.id] || {})[x.basis] || null) : tx.bases[x.basis];
  }
  // The detail screens' sections (render._sections): by mechanism, each headed by its line.
  function sections(v, tx) {
    var shown = mechanisms(v);
    var parts = shown.map(function (s) { return [mechanismLine(s, tx), s.id === "mobilization" ? v : s]; });
    if (!parts.length) return [[null, v]];
    if (parts.length === 1) return [[null, parts[0][1]]];
    return parts;
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
      var out = [h("h1", {}, m("all_grounds"))];
      sections(v, tx).forEach(function (sec) {
        var x = sec[1], basis = basisOf(x, tx), skipped = x === v ? v.skipped : 0;
        var a = x.grounds.filter(function (g) { return g.status === "applies"; }), p = x.grounds.filter(function (g) { return g.status === "possible"; });
        if (sec[0]) out.push(h("h2", {"class": "mechanism"}, sec[0]));
        if (a.length) out.push(h("h2", {}, m("grounds_apply")), a.map(function (g) { return groundBlock(g, tx); }));
        if (basis) out.push(h("h3", {}, basis.title), h("ul", {"class": "cites"}, basis.cites.map(function (c) { return citeItem(c, true); })));
        if (p.length) out.push(h("h2", {}, m("grounds_may_apply")), p.map(function (g) { return groundBlock(g, tx); }));
        if (skipped) out.push(para(plural("skipped", skipped, {n: skipped}), "i"));
        if (!a.length && !p.length && !basis) out.push(para(m("no_ground")));
      });
      return out;
    },
    todo: function (v, tx) {
      var out = [h("h1", {}, m("what_to_do"))];
      sections(v, tx).forEach(function (sec) {
        var x = sec[1], own = x === v ? v.mechanisms.mobilization : x;
        if (sec[0]) out.push(h("h2", {"class": "mechanism"}, sec[0]));
        if (x.steps.length) out.push(h("ol", {"class": "steps"}, x.steps.map(function (id) { return h("li", {}, tx.steps[id]); })));
        x.grounds.forEach(function (g) {
          if (g.status === "applies") out.push(h("div", {"class": "ground"}, h("h3", {}, tx.grounds[g.id].title), para(tx.grounds[g.id].todo)));
        });
        ((own && own.dates) || []).forEach(function (d) { out.push(h("p", {}, h("strong", {}, fmtDate(d[1])), ": " + tx.deadlines[d[0]])); });
      });
      if (v.advice.length) out.push(h("h2", {}, m("worth_checking")), h("ul", {}, v.advice.map(function (id) { return h("li", {}, tx.advice[id]); })));
      return out;
    },
    caveats: function (v, tx) {
      var out = [h("h1", {}, m("caveats"))], said = {};
      sections(v, tx).forEach(function (sec) {
        var x = sec[1];
        var notes = x.notes.filter(function (id) { return !said[id]; }), cav = x.caveats.filter(function (id) { return !said[id]; });
        notes.concat(cav).forEach(function (id) { said[id] = 1; });
        if (sec[0] && (notes.length || cav.length)) out.push(h("h2", {"class": "mechanism"}, sec[0]));
        if (notes.length || cav.length) out.push(h("ul", {"class": "caveats"}, notes.map(function (id) { return h("li", {}, noteText(id)); }),
                                                    cav.map(function (id) { return h("li", {}, tx.caveats[id]); })));
      });
      return out;
    }
  };
  show();
})();
