// Runs the offline page's documents (offline/papers.js over the engine and the compiled rule base)
// on a batch of cases for tests/test_documents_offline.py: one Node process per batch.
// Usage: node offline_papers_driver.js ENGINE_JS COMPILED_JS PAPERS_JS DOCUMENTS_JSON < cases > out
"use strict";
const fs = require("fs");
const vm = require("vm");
const [engineFile, compiledFile, papersFile, documentsFile] = process.argv.slice(2);
const sandbox = {};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(compiledFile, "utf8") + "\nthis.C = EXEMPT_COMPILED;", sandbox);
vm.runInContext(fs.readFileSync(engineFile, "utf8") + "\nthis.E = exemptEngine(this.C);", sandbox);
sandbox.D = JSON.parse(fs.readFileSync(documentsFile, "utf8"));
vm.runInContext(fs.readFileSync(papersFile, "utf8") + "\nthis.P = exemptPapers(this.D.documents);", sandbox);
const {E, P} = sandbox;
const texts = sandbox.D.texts;
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => {
  const v = E.evaluate(c.facts, c.as_of, c.dont_know);
  const out = {};
  for (const kind of P.offered(v)) {
    const p = P.build(kind, v, texts);
    out[kind] = {text: P.plainText(p), caption: p.caption, file: p.file};
  }
  return out;
})));
