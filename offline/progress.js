/* exempt-bot offline page: how many questions an interview can still take, as the bot counts them
 * (interview/progress.py): the longest path of the planner's tree of answers from a state (every
 * option, "I don't know", every set of ticks), pruned by the planner's bound. The counts depend
 * on the rule base only: one instance per engine keeps them. */
function exemptProgress(E) {
  "use strict";
  if (E.progress) return E.progress;
  var SERVING = "serving_contract";
  var ALSO_UNKNOWN = {age: ["birth_year", "birth_month"], birth_year: ["birth_month"]};
  var LONGEST = {}, SNAPSHOT = {};

  function key(f, dk, day) {
    return day + "|" + JSON.stringify(Object.keys(f).sort().map(function (k) { return [k, f[k]]; })) + "|" + dk.slice().sort().join(",");
  }
  function copy(f) { var o = {}; for (var k in f) o[k] = f[k]; return o; }
  function minus(list, keys) { return list.filter(function (k) { return keys.indexOf(k) < 0; }); }
  function snapshot(f, dk, day, k) {  // the planner's, once per state
    k = k || key(f, dk, day);
    return SNAPSHOT[k] || (SNAPSHOT[k] = E.snapshot(f, day, dk));
  }
  function combinations(items, n, from, chosen, out) {  // itertools.combinations, in its order
    if (chosen.length === n) return out.push(chosen.slice());
    for (var i = from; i < items.length; i++) { chosen.push(items[i]); combinations(items, n, i + 1, chosen, out); chosen.pop(); }
  }
  // As the flow answers (progress.settle): an answer to a question asked again voids the earlier
  // answers it contradicts; null when the answer itself does not fit.
  function settle(f, dk, day, keep) {
    for (;;) {
      try {
        return E.settle(f, day, dk);
      } catch (e) {
        var voids = e && e.name === "FactsError" ? e.keys.filter(function (k) { return k in f && keep.indexOf(k) < 0; }) : [];
        if (!voids.length) { if (e && e.name === "FactsError") return null; throw e; }
        voids.forEach(function (k) { delete f[k]; });
      }
    }
  }
  // Every state one press on question q leads to (progress.answers), settled (RuleSet.relevant);
  // known: no unknown answer.
  function children(q, f, dk, day, known) {
    var out = [];
    if (q.kind === "checklist") {
      for (var n = 0; n <= q.facts.length; n++) {
        var sets = [];
        combinations(q.facts, n, 0, [], sets);
        sets.forEach(function (ticked) {
          var g = copy(f);
          q.facts.forEach(function (k) { g[k] = ticked.indexOf(k) >= 0; });
          out.push([g, minus(dk, q.facts)]);
        });
      }
    } else {
      E.choiceSets(q.id, f, day).forEach(function (set) {
        var g = {};
        for (var k in f) if (q.facts.indexOf(k) < 0) g[k] = f[k];
        for (var s in set) g[s] = set[s];
        out.push([g, minus(dk, q.facts)]);
      });
    }
    if (q.dontKnow && !known) {
      var unknown = q.facts.slice();
      q.facts.forEach(function (k) { (ALSO_UNKNOWN[k] || []).forEach(function (x) { if (unknown.indexOf(x) < 0) unknown.push(x); }); });
      var g = {};
      for (var k in f) if (unknown.indexOf(k) < 0) g[k] = f[k];
      out.push([g, minus(dk, unknown).concat(unknown)]);
    }
    var settled = [];
    out.forEach(function (x) {  // settled, the planner's snapshot of each kept for later
      var r = settle(x[0], x[1], day, q.facts);
      if (r === null) return;
      SNAPSHOT[key(r.facts, r.dontKnow, day)] = r.snapshot;
      settled.push([r.facts, r.dontKnow]);
    });
    return settled;
  }
  // The most questions still to be asked from this state, the next one included (known: no
  // answer is unknown).
  function longest(f, dk, day, known) {
    var k = key(f, dk, day) + (known ? "|k" : "");
    if (k in LONGEST) return LONGEST[k];
    var snap = f.military_status === SERVING ? null : snapshot(f, dk, day), best = 0;
    if (snap && snap.next) {
      var bound = snap.to_come;
      var scored = children(E.question(snap.next), f, dk, day, known).map(function (c, i) { return [snapshot(c[0], c[1], day).to_come, i, c]; });
      scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      for (var i = 0; i < scored.length; i++) {
        if (1 + scored[i][0] <= best) break;  // sorted: no later branch can be longer
        best = Math.max(best, 1 + longest(scored[i][2][0], scored[i][2][1], day, known));
        if (best >= bound) break;
      }
    }
    LONGEST[k] = best;
    return best;
  }
  E.progress = {
    /* The most questions an interview takes on asOf with every answer known, and with "I don't
     * know" answers (progress.greeting_counts). */
    counts: function (asOf) { return [longest({}, [], asOf, 1), longest({}, [], asOf)]; },
    // The answers to the questions `earlier` only (progress.before): what the interview knew
    // when the question after them was first asked.
    before: function (earlier, facts, dk) {
      var keys = [], f = {};
      earlier.forEach(function (qid) { keys = keys.concat(E.question(qid).facts); });
      keys.filter(function (k) { return dk.indexOf(k) >= 0; }).forEach(function (k) { keys = keys.concat(ALSO_UNKNOWN[k] || []); });
      for (var k in facts) if (keys.indexOf(k) >= 0) f[k] = facts[k];
      return [f, dk.filter(function (k) { return keys.indexOf(k) >= 0; })];
    },
    /* The "of at most M" on question qid: those answered before it and the longest the rest can
     * take, from the state before it is answered (ticks on a checklist do not move it). */
    totalBound: function (facts, dk, asOf, qid, answered) {
      var keys = E.question(qid).facts, before = {};
      for (var k in facts) if (keys.indexOf(k) < 0) before[k] = facts[k];
      return answered + Math.max(1, longest(before, minus(dk, keys), asOf));
    }
  };
  return E.progress;
}
