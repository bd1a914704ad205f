// Runs the offline page's engine (offline/engine.js over the compiled rule base) on a batch of
// cases for tests/test_offline_engine.py: one Node process per batch.
// Usage: node offline_driver.js ENGINE_JS COMPILED_JS < cases.json > results.json
"use strict";
const fs = require("fs");
const vm = require("vm");
const [engineFile, compiledFile] = process.argv.slice(2);
const sandbox = {};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(compiledFile, "utf8") + "\nthis.C = EXEMPT_COMPILED;", sandbox);
vm.runInContext(fs.readFileSync(engineFile, "utf8") + "\nthis.E = exemptEngine(this.C);", sandbox);
const E = sandbox.E;
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const results = cases.map((c) => {
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
process.stdout.write(JSON.stringify(results));
