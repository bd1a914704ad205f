// Runs the offline page's "What is this notice?" (offline/notice.js) on a batch of cases for
// tests/test_offline_notice.py. Usage: node offline_notice_driver.js NOTICE_JS DATA_JSON < cases
"use strict";
const fs = require("fs");
const vm = require("vm");
const [noticeFile, dataFile] = process.argv.slice(2);
const sandbox = {};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(noticeFile, "utf8") + "\nthis.N = exemptNotice(" +
                fs.readFileSync(dataFile, "utf8") + ");", sandbox);
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => {
  try {
    return sandbox.N.notice(c.source, c.purpose, c.posted, c.as_of, c.lang);
  } catch (e) {
    return {error: e.message};
  }
})));
