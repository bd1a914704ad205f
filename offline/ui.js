/* exempt-bot offline page: the interview's screens, as the bot shows them (bot/flow.py).
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
  function citeLine(c) {
    var bits = [c.date, m(c.confirmed ? "confirmed" : "reported")];
    if (!c.published) bits.push(m("not_public"));
    return h("li", {"class": "cite"}, link(c.label, c.url), " · " + bits.filter(Boolean).join(" · "));
  }
  function langSwitch() {
    var other = S.lang === "ru" ? "en" : "ru";
    return button(other === "en" ? "English" : "Русский", function () { S.lang = other; show(); }, "lang");
  }
  function screen(children, buttons) {
    var head = h("header", {}, h("strong", {}, m("header")), langSwitch());
    var asOf = S.asOf !== E.today() ? para(m("offline_as_of", {date: fmtDate(S.asOf)}), "asof") : null;
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
    if (q.kind === "choice") return P.options[qid].map(function (o) { return {id: o.id, label: tq.options[o.id], set: o.set}; });
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

  // --- screens ------------------------------------------------------------------------------------
  function guideButtons() {
    var g = T().guides, out = [];
    if (g.already_serving) out.push(button(m("called_up"), function () { go("guide", "already_serving"); }));
    if (g.summons) out.push(button(g.summons.title, function () { go("guide", "summons"); }));
    return out;
  }
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
      screen([para(m("greeting_what")), para(m("greeting_scope")), para(m("offline_what"), "i"),
              para(m("offline_private"), "i")],
             [button(m("start"), restart, "primary"), guideButtons(), dateForm(),
              row(button(m("privacy"), function () { go("privacy"); }), button(m("offline_about"), function () { go("about"); })),
              para(m("offline_version", {version: P.version, date: fmtDate(P.ruleDate)}), "i small"), para(m("offline_newer"), "i small")]);
    },
    ask: function (qid) {
      var snap = E.snapshot(S.facts, S.asOf, S.dk), id = qid || snap.next;
      if (!id) return go("review");
      var q = E.question(id), tq = T().questions[id], inPath = snap.path.indexOf(id);
      var number = inPath >= 0 ? inPath + 1 : snap.path.length + 1;
      var remaining = Math.max(0, snap.to_come - (inPath >= 0 ? 0 : 1));
      var progress = remaining === 0 ? m("last_question", {number: number}) :
        fill(T().progress[Math.min(remaining, T().progress.length - 1)], {number: number, remaining: remaining});
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
      screen([para(progress, "progress"), h("h1", {}, tq.text),
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
      screen([h("h1", {}, m("review_title")), h("ol", {}, items), para(m("review_hint"))],
             [button(m("see_result"), function () { S.verdict = true; go("verdict"); }, "primary"),
              h("div", {"class": "row changes"}, changes), navRow()]);
    },
    verdict: function () {
      var v = E.evaluate(S.facts, S.asOf), tx = T(), body = [h("h1", {"class": "outcome " + v.outcome}, tx.outcome[v.outcome])];
      if ((v.outcome === "conditional" || v.outcome === "undetermined") && v.missing.length) body.push(para(m("depends_on", {things: needsWords(v.missing)})));
      var applying = v.grounds.filter(function (g) { return g.status === "applies"; });
      applying.slice(0, 2).forEach(function (g) {
        var t = tx.grounds[g.id];
        body.push(h("div", {"class": "ground"}, h("strong", {}, t.title), " — " + tx.outcomeShort[g.outcome],
                    h("ul", {}, t.cites.slice(0, 1).map(citeLine))));
      });
      body.push(h("h2", {}, m("what_next")), h("ul", {"class": "steps"}, steps(v).slice(0, 3).map(function (s) { return h("li", {}, s); })));
      var top = topCaveat(v);
      if (top) body.push(h("h2", {}, m("keep_in_mind")), para(top));
      if (v.grounds.length > Math.min(applying.length, 2)) body.push(para(m("offline_more"), "i"));
      body.push(para(m("as_of_version", {date: fmtDate(v.as_of), version: v.rules_version}), "i"));
      screen(body, [
        row(button(m("offline_all_grounds"), function () { go("detail", "grounds"); }),
            button(m("offline_what_to_do"), function () { go("detail", "todo"); })),
        row(button(m("offline_caveats"), function () { go("detail", "caveats"); }),
            button(m("offline_get_help"), function () { go("detail", "help"); })),
        guideButtons(),
        row(button(m("restart"), restart), button(m("privacy"), function () { go("privacy"); }))
      ]);
    },
    detail: function (which) {
      var v = E.evaluate(S.facts, S.asOf);
      screen(DETAILS[which](v, T()), [button(m("offline_to_result"), function () { go("verdict"); }, "primary")]);
    },
    guide: function (id) {
      var g = T().guides[id], body = [h("h1", {}, g.title)];
      g.sections.forEach(function (s) {
        if ((s.from && s.from > S.asOf) || (s.until && s.until < S.asOf)) return;
        body.push(h("h2", {}, s.heading), h("ul", {}, s.items.map(function (i) { return h("li", {}, i); })));
        if (s.cites.length) body.push(h("ul", {"class": "cites"}, s.cites.map(citeLine)));
      });
      screen(body, [backButton()]);
    },
    privacy: function () {
      screen([h("h1", {}, m("privacy")), para(m("offline_private")), para(m("offline_delete"))], [backButton()]);
    },
    about: function () {
      screen([h("h1", {}, m("offline_about")), para(m("offline_version", {version: P.version, date: fmtDate(P.ruleDate)})),
              para(m("offline_newer")), para(m("handles")), para(m("offline_what"))], [backButton()]);
    }
  };
  function backButton() {
    return S.verdict ? button(m("offline_to_result"), function () { go("verdict"); }, "primary")
                     : button(m("back"), function () { go("greeting"); }, "primary");
  }
  function needsWords(keys) { return keys.map(function (k) { return T().factNames[k] || k; }).join(", "); }
  function steps(v) {  // the bot's checklist under a verdict (render.verdict)
    var out = [m("step_documents")];
    if (["deferral", "conditional", "undetermined"].indexOf(v.outcome) >= 0) out.push(m("step_not_automatic"));
    out.push(m("step_summons"), m("step_not_sign"));
    return out;
  }
  function noteText(id) {
    var tx = T();
    return tx.notes[id] || tx.retro[id.replace(/_retroactive$/, "")] || "";
  }
  function topCaveat(v) {
    if (v.notes.length) return noteText(v.notes[0]);
    return v.caveats.length ? T().caveats[v.caveats[v.caveats.length - 1]] : null;
  }
  function groundBlock(g, tx) {
    var t = tx.grounds[g.id];
    return h("div", {"class": "ground"}, h("h3", {}, t.title + " — " + tx.outcomeShort[g.outcome]), para(t.explanation),
             para(t.note, "i"), h("ul", {"class": "cites"}, t.cites.map(citeLine)),
             g.needs.length ? para(m("ground_depends", {things: needsWords(g.needs)}), "i") : null);
  }
  var DETAILS = {
    grounds: function (v, tx) {
      var a = v.grounds.filter(function (g) { return g.status === "applies"; }), p = v.grounds.filter(function (g) { return g.status === "possible"; });
      return [h("h1", {}, m("offline_all_grounds")), a.length ? h("h2", {}, m("grounds_apply")) : null,
              a.map(function (g) { return groundBlock(g, tx); }), p.length ? h("h2", {}, m("grounds_may_apply")) : null,
              p.map(function (g) { return groundBlock(g, tx); })];
    },
    todo: function (v, tx) {
      var out = [h("h1", {}, m("offline_what_to_do")), h("ul", {"class": "steps"}, steps(v).map(function (s) { return h("li", {}, s); }))];
      v.grounds.forEach(function (g) {
        out.push(h("div", {"class": "ground"}, h("h3", {}, tx.grounds[g.id].title), para(tx.grounds[g.id].todo)));
      });
      if (v.advice.length) out.push(h("h2", {}, m("worth_checking")), h("ul", {}, v.advice.map(function (id) { return h("li", {}, tx.advice[id]); })));
      return out;
    },
    caveats: function (v, tx) {
      return [h("h1", {}, m("offline_caveats")), h("ul", {"class": "caveats"},
              v.notes.map(function (id) { return h("li", {}, noteText(id)); }),
              v.caveats.map(function (id) { return h("li", {}, tx.caveats[id]); }))];
    },
    help: function (v, tx) {
      return [h("h1", {}, m("get_help_title")), tx.resources.map(function (r) {
        return h("div", {"class": "resource"}, h("h3", {}, r.title), para(r.text), para(r.status, "i"), para(r.warning, "warning"),
                 h("ul", {}, r.contacts.map(function (c) { return h("li", {}, link(c[0], c[1])); })));
      })];
    }
  };
  show();
})();
