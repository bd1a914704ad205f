// Runs the offline page's engine (`E`, tests/jsengine.py) on a batch of cases for
// tests/test_offline_engine.py: one call per batch, so the cases cross into V8 once.
"use strict";
function runCases(cases) {
  return cases.map(function (c) {
    try {
      return {
        verdict: E.evaluate(c.facts, c.as_of),
        asked: E.evaluate(c.facts, c.as_of, c.dont_know),
        next: E.nextQuestion(c.facts, c.as_of, c.dont_know),
        typical: E.typicalTotal(c.facts, c.as_of, c.dont_know),
        snapshot: E.snapshot(c.facts, c.as_of, c.dont_know),
        relevant: E.relevant(c.facts, c.as_of, c.dont_know),
      };
    } catch (e) {
      if (e.name !== "FactsError") throw e;
      return {error: {keys: e.keys, message: e.message}};
    }
  });
}
