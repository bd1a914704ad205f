/* exempt-bot offline page, the renderer: draws the model's screen (offline/model.js) into the
 * document and sends it the pressed buttons. What a screen holds and which buttons it offers is the
 * model's (and interview/screens.py's) business; this file only makes elements. */
(function () {
  "use strict";
  var E = exemptEngine(EXEMPT_COMPILED);
  window.exemptRules = {evaluate: E.evaluate, nextQuestion: E.nextQuestion, version: E.version};
  var M = exemptModel(E, PAGE, PAGE.lang, E.today());
  var app = document.getElementById("app");

  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "onclick") el.addEventListener("click", attrs[k]);
      else el.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) el.appendChild(arguments[i]);
    return el;
  }
  function tree(node) {  // the model's {t, a, k} element tree as elements
    if (typeof node === "string") return document.createTextNode(node);
    var el = h(node.t, node.a);
    node.k.forEach(function (kid) { el.appendChild(tree(kid)); });
    return el;
  }
  // A document's print view: the browser prints only the sheet (page.css, @media print); the
  // text goes to the clipboard, or where that is refused (a file:// page), is selected to copy.
  function copyText(text) {
    var sheet = document.querySelector(".sheet");
    function select() {
      var range = document.createRange(), sel = window.getSelection();
      range.selectNodeContents(sheet);
      sel.removeAllRanges();
      sel.addRange(range);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(select, select);
    else select();
  }
  var PAGE_ACTS = {print: function () { window.print(); }, copy_text: function (view) { copyText(view.text); }};
  function button(b, view) {
    var own = PAGE_ACTS[b.id];
    return h("button", {type: "button", "class": b.cls, onclick: function () { if (own) own(view); else show(M.press(b)); }}, document.createTextNode(b.label));
  }
  function dateForm(slot, view) {  // the greeting's "check as of another date"
    var input = h("input", {type: "date", id: "as-of", value: slot.value, min: slot.min, max: slot.max});
    var error = h("p", {"class": "error", role: "alert"});
    function apply(value) {
      var message = M.setAsOf(value);
      if (message) error.textContent = message; else show(M.view());
    }
    var texts = view.dateForm;
    return h("div", {"class": "date"}, h("label", {"for": "as-of", text: texts.label}), input,
             h("div", {"class": "row"},
               h("button", {type: "button", "class": "nav", text: texts.apply, onclick: function () { apply(input.value); }}),
               h("button", {type: "button", "class": "nav", text: texts.today, onclick: function () { apply(E.today()); }})),
             error);
  }
  function show(view) {
    while (app.firstChild) app.removeChild(app.firstChild);
    app.appendChild(h("header", {}, h("strong", {text: view.header})));
    var section = h("section", {});
    view.body.forEach(function (node) { section.appendChild(tree(node)); });
    app.appendChild(section);
    var nav = h("nav", {}), changes = null;
    view.rows.forEach(function (row) {
      // The review's numbered buttons flow in one wrapping line: the page is not a keyboard.
      if (row[0].cls === "change") {
        if (!changes) nav.appendChild(changes = h("div", {"class": "row changes"}));
        return row.forEach(function (b) { changes.appendChild(button(b, view)); });
      }
      var el = row.length > 1 ? h("div", {"class": "row"}) : nav;
      row.forEach(function (b) { el.appendChild(b.slot === "date" ? dateForm(b, view) : button(b, view)); });
      if (el !== nav) nav.appendChild(el);
    });
    app.appendChild(nav);
    document.documentElement.lang = view.lang;
    window.scrollTo(0, 0);
  }
  show(M.view());
})();
