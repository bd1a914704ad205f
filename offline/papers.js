/* exempt-bot offline page: the written documents that fit a verdict and what each says, as
 * rules/documents.py (fit) and interview/papers.py (paper_of, plain_text) build them for the bot.
 * The wording is the rule base's (documents.yaml, put in by offline/build.py): nothing here. */
function exemptPapers(D) {
  "use strict";
  function scopePart(v, scope) {  // documents.scope_verdict
    if (scope === "mobilization") return {outcome: v.outcome, grounds: v.grounds};
    var mech = v.mechanisms && v.mechanisms[scope];
    if (!mech || mech.concerns === false) return null;
    return {outcome: mech.outcome, grounds: mech.grounds};
  }
  function deadline(doc, v) {  // documents.deadline_date: the date the verdict computed
    if (!doc.deadline || !doc.deadline.date) return null;
    var found = null;
    doc.scopes.forEach(function (scope) {
      var mech = v.mechanisms && v.mechanisms[scope];
      (mech ? mech.dates : []).forEach(function (d) { if (found === null && d[0] === doc.deadline.date) found = d[1]; });
    });
    return found;
  }
  function fit(doc, v) {  // documents.fit
    var parts = [];
    doc.scopes.forEach(function (scope) {
      var part = scopePart(v, scope);
      if (part !== null && (!doc.outcomes || doc.outcomes.indexOf(part.outcome) >= 0)) parts.push(part);
    });
    if (!parts.length) return null;
    if (doc.deadline && doc.deadline.date && deadline(doc, v) === null) return null;
    if (doc.grounds === null) return [];
    var statuses = doc.possible ? ["applies", "possible"] : ["applies"], chosen = [];
    parts.forEach(function (part) {
      part.grounds.forEach(function (g) {
        if (statuses.indexOf(g.status) >= 0 && doc.grounds.indexOf(g.id) >= 0) chosen.push(g);
      });
    });
    if (!chosen.length && !doc.optional) return null;
    if (chosen.some(function (g) { return g.outcome !== "conditional"; }))
      chosen = chosen.filter(function (g) { return g.outcome !== "conditional"; });
    return chosen;
  }
  function wording(doc, grounds) {  // documents.wording: one outcome's own words, else the general
    var outcomes = [];
    grounds.forEach(function (g) { if (outcomes.indexOf(g.outcome) < 0) outcomes.push(g.outcome); });
    var w = outcomes.length === 1 ? doc.wording[outcomes[0]] : undefined;
    return w || {subject: doc.subject, groundsIntro: doc.groundsIntro, requests: doc.requests, basis: doc.basis};
  }
  function shown(isoDay) { var p = isoDay.split("-"); return p[2] + "." + p[1] + "." + p[0]; }
  function offered(v) {
    return D.docs.filter(function (doc) { return fit(doc, v) !== null; }).map(function (doc) { return doc.kind; });
  }
  function build(kind, v, tx) {  // papers.paper_of; tx: this language's texts (captions in tx.papers)
    var doc = D.docs.filter(function (d) { return d.kind === kind; })[0];
    var grounds = doc ? fit(doc, v) : null;
    if (!doc || grounds === null) return null;
    var form = D.form, attachments = doc.attachments.slice(), words = wording(doc, grounds);
    grounds.forEach(function (g) {
      (D.grounds[g.id].attachments).forEach(function (a) { if (attachments.indexOf(a) < 0) attachments.push(a); });
    });
    var date = deadline(doc, v), due = date ? shown(date) : "";
    return {
      kind: doc.kind, file: doc.file, title: tx.papers[kind].title,
      caption: tx.papers[kind].explanation.split("{filing}").join(tx.filing).split("{date}").join(due),
      to: doc.to, sender: form.sender, heading: doc.heading, subject: words.subject, intro: doc.intro,
      grounds_heading: form.grounds_heading, grounds_intro: grounds.length ? words.groundsIntro : null,
      grounds: grounds.map(function (g) { return D.grounds[g.id].line; }),
      basis_heading: form.basis_heading, basis: words.basis, requests_heading: form.requests_heading,
      requests: words.requests, deadline_heading: form.deadline_heading,
      deadline: doc.deadline ? doc.deadline.text.split("{date}").join(due) : null,
      attachments_heading: form.attachments_heading, attachments: attachments, date_line: form.date_line,
      signature_line: form.signature_line, signature_hint: form.signature_hint, receipt: form.receipt
    };
  }
  function numbered(items) { return items.map(function (x, n) { return (n + 1) + ". " + x; }); }
  function plainText(p) {  // papers.plain_text, line for line
    var lines = p.to.concat(p.sender, ["", p.heading, p.subject, ""], p.intro);
    if (p.grounds.length) lines = lines.concat([p.grounds_intro || p.grounds_heading], numbered(p.grounds));
    lines = lines.concat(["", p.basis_heading + " " + p.basis, "", p.requests_heading], numbered(p.requests));
    if (p.deadline) lines = lines.concat(["", p.deadline_heading + " " + p.deadline]);
    if (p.attachments.length) lines = lines.concat(["", p.attachments_heading], numbered(p.attachments));
    lines = lines.concat(["", p.date_line + "    " + p.signature_line, p.signature_hint, ""], p.receipt);
    return lines.join("\n") + "\n";
  }
  return {offered: offered, build: build, plainText: plainText};
}
