/* exempt-bot offline engine: the runtime that evaluates the rule base compiled by rules/jscompile.py.
 * The same reasoning as the Python engine (rules/engine.py, rules/age.py, rules/facts.py), held
 * equal to it by tests/test_offline_engine.py. No texts here: only ids and fact keys. */
function exemptEngine(C) {
  "use strict";
  var D = C.data;
  var UNKNOWN = 1, TRUE = 2;
  var OUTCOME = {3: "not_subject", 2: "deferral", 1: "conditional"};

  // --- days as integers (days since 1970-01-01), proleptic Gregorian, no Date object quirks ----
  function civil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function ymd(n) {
    n += 719468;
    var era = Math.floor(n / 146097), doe = n - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) -
                          Math.floor(doe / 146096)) / 365);
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153);
    var d = doy - Math.floor((153 * mp + 2) / 5) + 1, m = mp + (mp < 10 ? 3 : -9);
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }
  function isLeap(y) { return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0); }
  function monthDays(y, m) { return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]; }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  function iso(n) { var p = ymd(n); return pad(p[0], 4) + "-" + pad(p[1], 2) + "-" + pad(p[2], 2); }
  // What Python's date.fromisoformat accepts in ten characters: YYYY-MM-DD and YYYY-Www-D.
  function parseDay(s) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
    if (m) {
      var y = +m[1], mo = +m[2], d = +m[3];
      if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > monthDays(y, mo)) return null;
      return civil(y, mo, d);
    }
    m = /^([0-9]{4})-W([0-9]{2})-([0-9])$/.exec(s);
    if (!m) return null;
    var year = +m[1], week = +m[2], wd = +m[3];
    if (year < 1 || week < 1 || week > 53 || wd < 1 || wd > 7) return null;
    var jan4 = civil(year, 1, 4);
    var monday = jan4 - ((jan4 + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
    if (week === 53) {  // only years whose 1 January is a Thursday, or a Wednesday in a leap year
      var jan1 = ((civil(year, 1, 1) + 3) % 7 + 7) % 7;
      if (!(jan1 === 3 || (jan1 === 2 && isLeap(year)))) return null;
    }
    var day = monday + (week - 1) * 7 + wd - 1;
    return ymd(day)[0] >= 1 && ymd(day)[0] <= 9999 ? day : null;
  }
  function dayOrNull(s) { return s === null ? null : parseDay(s); }
  function todayInMoscow() {  // no DST since 2014
    return Math.floor((Date.now() + 3 * 3600 * 1000) / 86400000);
  }

  // --- Python's repr of JSON values, for the same error messages -------------------------------
  function pyRepr(v) {
    if (v === null || v === undefined) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (typeof v === "number") return pyNumber(v);
    if (typeof v === "string") return pyString(v);
    if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
    return "{" + Object.keys(v).map(function (k) { return pyString(k) + ": " + pyRepr(v[k]); }).join(", ") + "}";
  }
  function pyNumber(x) {
    if (isInt(x)) return Math.abs(x) < 1e21 || typeof BigInt !== "function" ? String(x) : BigInt(x).toString();
    if (!isFinite(x)) return isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
    var e = x.toExponential().split("e"), digits = e[0].replace("-", "").replace(".", ""), exp = +e[1];
    var sign = x < 0 ? "-" : "";
    if (exp >= -5 && exp < 16) {
      var s;
      if (exp < 0) s = "0." + zeros(-exp - 1) + digits;
      else if (digits.length > exp + 1) s = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
      else s = digits + zeros(exp + 1 - digits.length) + ".0";
      return sign + s;
    }
    var mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    return sign + mant + "e" + (exp < 0 ? "-" : "+") + pad(Math.abs(exp), 2);
  }
  function pyString(s) {
    var q = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = q;
    for (var i = 0; i < s.length; i++) {
      var c = s[i], code = s.charCodeAt(i);
      if (c === "\\" || c === q) out += "\\" + c;
      else if (c === "\n") out += "\\n";
      else if (c === "\r") out += "\\r";
      else if (c === "\t") out += "\\t";
      else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += "\\x" + pad(code.toString(16), 2);
      else out += c;
    }
    return out + q;
  }

  // --- facts: the same contract and strict checks as rules/facts.py -----------------------------
  var FACTS = {}, FACT_KEYS = [];
  D.facts.forEach(function (s) {
    FACTS[s[0]] = {key: s[0], kind: s[1], values: s[2], minimum: s[3], maximum: s[4]};
    FACT_KEYS.push(s[0]);
  });
  function isInt(x) { return typeof x === "number" && isFinite(x) && Math.floor(x) === x; }  // ES5
  function zeros(n) { return new Array(n + 1).join("0"); }  // ES5 "0".repeat(n)
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function FactsError(keys, message) {
    var e = new Error(message);
    e.name = "FactsError";
    e.keys = keys;
    return e;
  }
  function checkValue(spec, v) {
    var key = spec.key;
    if (spec.kind === "bool") {
      if (typeof v !== "boolean") throw FactsError([key], key + ": expected true or false, got " + pyRepr(v));
      return v;
    }
    if (spec.kind === "int") {
      if (typeof v !== "number" || !isInt(v)) throw FactsError([key], key + ": expected an integer, got " + pyRepr(v));
      if (v < spec.minimum || v > spec.maximum) throw FactsError([key], key + ": " + pyNumber(v) + " is outside " + spec.minimum + ".." + spec.maximum);
      return v;
    }
    if (spec.kind === "enum") {
      if (typeof v !== "string" || spec.values.indexOf(v) < 0) throw FactsError([key], key + ": expected one of " + spec.values.join(", ") + ", got " + pyRepr(v));
      return v;
    }
    if (typeof v !== "string" || v.length !== 10) throw FactsError([key], key + ": expected a date YYYY-MM-DD, got " + pyRepr(v));
    // As rules.isodate.parse_day: YYYY-MM-DD only (no week dates), 1900-01-01..2199-12-31.
    var pd = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) ? parseDay(v) : null;
    if (pd === null || pd < civil(1900, 1, 1) || pd > civil(2199, 12, 31))
      throw FactsError([key], key + ": " + pyRepr(v) + " is not a valid date YYYY-MM-DD");
    return v;
  }
  function validate(raw, day) {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new TypeError("facts must be an object");
    var facts = Object.create(null);
    Object.keys(raw).forEach(function (key) {
      var v = raw[key];
      if (!has(FACTS, key)) throw FactsError([key], key + ": unknown fact");
      if (v === null || v === undefined) return;
      facts[key] = checkValue(FACTS[key], v);
    });
    // Old keys fill today's keys they imply; a today's key given alongside wins (facts.LEGACY_IMPLIES).
    (D.legacy || []).forEach(function (l) {
      if (facts[l[0]] === l[1]) Object.keys(l[2]).forEach(function (k) { if (!(k in facts)) facts[k] = l[2][k]; });
    });
    if (facts.raises_children_alone === true && facts.children_under_16 === 0)
      throw FactsError(["children_under_16", "raises_children_alone"], "raises_children_alone: true contradicts children_under_16: 0");
    if (facts.wife_pregnant_22w !== undefined && facts.sex === "female")
      throw FactsError(["sex", "wife_pregnant_22w"], "wife_pregnant_22w does not apply to a woman");
    if ("birth_month" in facts && !("birth_year" in facts) && !("birth_date" in facts))
      throw FactsError(["birth_month"], "birth_month needs birth_year");
    if (typeof facts.birth_date === "string") {
      var born = ymd(parseDay(facts.birth_date));
      if ("birth_year" in facts && facts.birth_year !== born[0]) throw FactsError(["birth_date", "birth_year"], "birth_year contradicts birth_date");
      if ("birth_month" in facts && facts.birth_month !== born[1]) throw FactsError(["birth_date", "birth_month"], "birth_month contradicts birth_date");
      if (day !== null && parseDay(facts.birth_date) > day) throw FactsError(["birth_date"], "birth_date is after the as-of date");
    }
    if (facts.reserve_contract === true && facts.military_status !== undefined && facts.military_status !== "reserve")
      throw FactsError(["military_status", "reserve_contract"], "reserve_contract: true needs military_status: reserve");
    if (typeof facts.birth_year === "number" && day !== null && facts.birth_year > ymd(day)[0])
      throw FactsError(["birth_year"], "birth_year is after the as-of date");
    return facts;
  }
  function copy(f) { var o = Object.create(null); for (var k in f) o[k] = f[k]; return o; }
  // Facts the contract forces (engine.implied).
  function implied(f) {
    var extra = false, out = f;
    if (f.children_under_16 === 0 && !("raises_children_alone" in f)) { out = copy(f); out.raises_children_alone = false; extra = true; }
    if (f.sex === "female" && !("wife_pregnant_22w" in f)) { if (!extra) out = copy(f); out.wife_pregnant_22w = false; }
    return out;
  }

  // --- age limits (rules/age.py) --------------------------------------------------------------
  var MIN_BIRTH = civil(1850, 1, 1), MAX_AGE = 130;
  var SEXES = FACTS.sex.values, RANKS = FACTS.rank.values;
  var periods = D.ageLimits.map(function (p) {
    return {from: dayOrNull(p.from), until: dayOrNull(p.until), male: p.male, female: p.female};
  });
  function latestBirthReaching(day, years) {
    var p = ymd(day), year = p[0] - years;
    if (p[1] === 2 && p[2] === 29) return civil(year, 2, isLeap(year) ? 29 : 28);
    if (p[1] === 2 && p[2] === 28 && isLeap(year) && !isLeap(p[0])) return civil(year, 2, 29);
    return civil(year, p[1], p[2]);
  }
  function birthsOfAge(age, day) { return [latestBirthReaching(day, age + 1) + 1, latestBirthReaching(day, age)]; }
  function birthInterval(f, day) {
    if (typeof f.birth_date === "string") { var b = parseDay(f.birth_date); return [[b, b], null]; }
    if (typeof f.birth_year === "number") {
      var y = f.birth_year;
      if (typeof f.birth_month === "number") {
        var m = f.birth_month;
        return [[civil(y, m, 1), civil(y, m, monthDays(y, m))], "birth_date"];
      }
      return [[civil(y, 1, 1), civil(y, 12, 31)], "birth_month"];
    }
    if (typeof f.age === "number") return [birthsOfAge(f.age, day), "birth_year"];
    return [[MIN_BIRTH, day], "age"];
  }
  function merge(list) {
    list.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var out = [];
    list.forEach(function (iv) {
      var last = out[out.length - 1];
      if (last && iv[0] <= last[1] + 1) { if (iv[1] > last[1]) last[1] = iv[1]; }
      else out.push([iv[0], iv[1]]);
    });
    return out;
  }
  function retiredBirths(sex, rank, day) {
    var found = [];
    periods.forEach(function (p) {
      if (p.from !== null && p.from > day) return;
      var end = p.until === null ? day : Math.min(p.until, day);
      p[sex][rank].forEach(function (e) {
        var lo = e[0] ? civil(e[0], 1, 1) : MIN_BIRTH;
        var hi = latestBirthReaching(end, e[2]);
        if (e[1] !== null) hi = Math.min(hi, civil(e[1], 12, 31));
        if (lo <= hi) found.push([lo, hi]);
      });
    });
    return merge(found);
  }
  function status(retired, births) {
    for (var i = 0; i < retired.length; i++) {
      var r = retired[i];
      if (r[0] <= births[0] && births[1] <= r[1]) return TRUE;
      if (births[0] <= r[1] && r[0] <= births[1]) return UNKNOWN;
    }
    return 0;
  }
  var tables = {};
  function table(day) {
    var t = tables[day];
    if (!t) {
      t = {};
      SEXES.forEach(function (s) { RANKS.forEach(function (r) { t[s + "/" + r] = retiredBirths(s, r, day); }); });
      tables[day] = t;
    }
    return t;
  }
  function varies(results, sexes, ranks, bySex) {
    var groups = bySex ? sexes : ranks, seen = {};
    groups.forEach(function (g) {
      var vals = {};
      (bySex ? ranks : sexes).forEach(function (o) { vals[results[bySex ? g + "/" + o : o + "/" + g]] = 1; });
      var keys = Object.keys(vals);
      seen[keys.length === 1 ? keys[0] : UNKNOWN] = 1;
    });
    return Object.keys(seen).length > 1;
  }
  // [status of "past the age limit", the unknown keys deciding it] (AgeLimits.evaluate).
  function ageLimit(f, day) {
    // A serviceman has no reserve age limit (AgeLimits.evaluate).
    if (f.military_status === "serving_contract") return [0, []];
    var bi = birthInterval(f, day), births = bi[0], narrower = bi[1];
    var t = table(day), sex = f.sex, rank = f.rank;
    if (typeof sex === "string" && typeof rank === "string") {
      var st = status(t[sex + "/" + rank], births);
      if (st !== UNKNOWN) return [st, []];
      return [UNKNOWN, narrower ? [narrower] : []];
    }
    var sexes = typeof sex === "string" ? [sex] : SEXES, ranks = typeof rank === "string" ? [rank] : RANKS;
    var results = {}, values = {};
    sexes.forEach(function (s) {
      ranks.forEach(function (r) { var v = status(t[s + "/" + r], births); results[s + "/" + r] = v; values[v] = 1; });
    });
    var vs = Object.keys(values);
    if (vs.length === 1 && vs[0] !== String(UNKNOWN)) return [+vs[0], []];
    var needs = [];
    if (values[UNKNOWN] && narrower) needs.push(narrower);
    if (sexes.length > 1 && varies(results, sexes, ranks, true)) needs.push("sex");
    if (ranks.length > 1 && varies(results, sexes, ranks, false)) needs.push("rank");
    if (!needs.length) {
      if (sexes.length > 1) needs.push("sex");
      if (ranks.length > 1) needs.push("rank");
    }
    return [UNKNOWN, needs];
  }
  // --- conscription age (rules/age.py ConscriptionAges) ---------------------------------------
  var consPeriods = (D.conscriptionAge || []).map(function (p) {
    return {from: dayOrNull(p[0]), until: dayOrNull(p[1]), min: p[2], max: p[3]};
  });
  var overByDay = {};
  function consInForce(day) {
    for (var i = 0; i < consPeriods.length; i++) {
      var p = consPeriods[i];
      if ((p.from === null || p.from <= day) && (p.until === null || day <= p.until)) return p;
    }
    return null;
  }
  // Birth dates of those who reached the maximum in force at the time.
  function overBirths(day) {
    var found = overByDay[day];
    if (!found) {
      var list = [];
      consPeriods.forEach(function (p) {
        if (p.from !== null && p.from > day) return;
        list.push([MIN_BIRTH, latestBirthReaching(p.until === null ? day : Math.min(p.until, day), p.max)]);
      });
      found = overByDay[day] = merge(list);
    }
    return found;
  }
  // [under the minimum, its needs, over the maximum, its needs] (ConscriptionAges.evaluate).
  function conscription(f, day) {
    var bi = birthInterval(f, day), births = bi[0], needs = bi[1] ? [bi[1]] : [];
    var p = consInForce(day);
    if (p === null) return [0, [], TRUE, []];
    var youngest = latestBirthReaching(day, p.min);
    var under = births[0] > youngest ? TRUE : births[1] <= youngest ? 0 : UNKNOWN;
    var over = status(overBirths(day), births);
    return [under, under === UNKNOWN ? needs : [], over, over === UNKNOWN ? needs : []];
  }
  function anniversary(born, years) {
    var p = ymd(born), y = p[0] + years;
    if (p[1] === 2 && p[2] === 29 && !isLeap(y)) return civil(y, 2, 28);
    return civil(y, p[1], p[2]);
  }
  function consLastDay(born, day) {  // the last day within conscription age, or null
    var first = null;
    consPeriods.forEach(function (p) {
      var reach = anniversary(born, p.max);
      if (p.until !== null && reach > p.until) return;
      var out = Math.max(reach, p.from === null ? reach : p.from, day);
      if (first === null || out < first) first = out;
    });
    return first === null ? null : first - 1;
  }
  function consFirstDay(born) { return anniversary(born, consPeriods[consPeriods.length - 1].min); }
  // The last day to apply for alternative civilian service still ahead (rules/dates.py).
  var DATE_RULES = {
    alternative_service: function (day) {
      var y = ymd(day)[0];
      if (day <= civil(y, 3, 31)) return civil(y, 3, 31);
      if (day <= civil(y, 9, 30)) return civil(y, 9, 30);
      return civil(y + 1, 3, 31);
    }
  };

  var bandsByDay = {};
  // Age bands within which the age alone decides the same for every sex and rank, and the same
  // conscription age.
  function ageBands(day) {
    if (bandsByDay[day]) return bandsByDay[day];
    var t = table(day), keys = [];
    for (var age = 0; age <= MAX_AGE; age++) {
      var births = birthsOfAge(age, day), k = "";
      SEXES.forEach(function (s) { RANKS.forEach(function (r) { k += status(t[s + "/" + r], births); }); });
      var c = conscription({age: age}, day);
      k += "|" + c[0] + c[2];
      keys.push(k);
    }
    var bands = [], start = 0;
    for (var a = 1; a <= MAX_AGE; a++) {
      if (keys[a] !== keys[start]) { bands.push([start, a - 1]); start = a; }
    }
    bands.push([start, MAX_AGE]);
    return (bandsByDay[day] = bands);
  }

  // --- the verdict's reasoning for one day (rules/daycode.py) ---------------------------------
  var grounds = D.grounds.map(function (g, i) {
    // Keys at their default are left out of the data (jscompile._compact).
    return {id: g.id, outcome: g.outcome, strength: g.strength, order: g.order, from: dayOrNull(g.from || null),
            until: dayOrNull(g.until || null), retro: dayOrNull(g.retro || null), staticNeeds: g["static"] || null,
            flatNeeds: g.flat || null, needs: C.needs[i], advice: C.advice[i], mechanism: g.mechanism || "mobilization",
            scope: !!g.scope, deadline: g.deadline || null};
  });
  function within(from, until, day) { return (from === null || from <= day) && (until === null || day <= until); }
  // Caveats, date notes and next steps (CompiledText): window, outcomes, open facts, condition, rank.
  var texts = D.texts.map(function (c, j) {
    return {id: c.id, kind: c.kind, rank: c.rank, order: c.order, from: dayOrNull(c.from || null),
            until: dayOrNull(c.until || null), outcomes: c.outcomes || null, missing: c.missing || null,
            when: C.texts[j], mechanism: c.mechanism || "mobilization", rankIf: C.rankIf[j]};
  });
  var plans = {};
  function plan(day, mech) {
    var key = day + "/" + mech, p = plans[key];
    if (p) return p;
    var inForce = grounds.filter(function (g) { return g.mechanism === mech && within(g.from, g.until, day); });
    inForce.sort(function (a, b) { return b.strength - a.strength || a.order - b.order; });
    var strengths = [];
    inForce.forEach(function (g) { if (strengths.indexOf(g.strength) < 0) strengths.push(g.strength); });
    p = plans[key] = {
      grounds: inForce,
      strengths: strengths,
      texts: texts.filter(function (c) { return c.mechanism === mech && within(c.from, c.until, day); })
    };
    return p;
  }
  function sortedUnique(list) {
    var seen = {}, out = [];
    list.forEach(function (k) { if (!seen[k]) { seen[k] = 1; out.push(k); } });
    return out.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  }
  function touches(c, missing) {  // no open facts named, or one of them is open
    return c.missing === null || c.missing.some(function (k) { return missing[k]; });
  }
  // The relevant caveats, notes and steps, each in rank order (RuleSet._relevant).
  function relevant(p, f, age, cons, outcome, missing) {
    var fixed = [], conditional = [];
    p.texts.forEach(function (c) {
      if (c.when === null) {
        if ((c.outcomes === null || c.outcomes.indexOf(outcome) >= 0) && touches(c, missing)) fixed.push(c);
      } else if (c.when(f, age, cons) === TRUE && (c.outcomes === null || c.outcomes.indexOf(outcome) >= 0) && touches(c, missing)) {
        conditional.push(c);
      }
    });
    // The rank by the answers where the rule base gives one (rank_if: the first that holds).
    function rankOf(c) {
      for (var k = 0; k < c.rankIf.length; k++) if (c.rankIf[k][0](f, age, cons) === TRUE) return c.rankIf[k][1];
      return c.rank;
    }
    var items = fixed.concat(conditional).map(function (c, i) { return [c, i, rankOf(c)]; });
    items.sort(function (a, b) { return a[2] - b[2] || a[0].order - b[0].order || a[1] - b[1]; });
    var out = {caveat: [], note: [], step: []};
    items.forEach(function (x) { out[x[0].kind].push(x[0].id); });
    return out;
  }
  // One mechanism's verdict for one day (RuleSet._verdict for mobilization, _mechanism for the others).
  function mechanism(mech, f, day, dontKnow, st, age, ageNeeds, cons) {
    var p = plan(day, mech), best = 0, possible = false, out = [], missing = {};
    if (mech !== "mobilization") {
      // Outside the mechanism: the first reason, in verdict order (RuleSet._out_of_scope).
      var hits = p.grounds.filter(function (g) { return g.scope && st[g.order] === TRUE; }).slice(0, 1);
      if (hits.length) {
        return {outcome: "not_subject", concerns: false, until: null,
                grounds: hits.map(function (g) { return {id: g.id, outcome: g.outcome, status: "applies", needs: []}; }),
                advice: [], missing: [], caveats: [], notes: [], steps: [], basis: null, dates: [], skipped: 0};
      }
    }
    p.grounds.forEach(function (g) { if (st[g.order] === TRUE && g.strength > best) best = g.strength; });
    p.strengths.forEach(function (strength) {
      var pos = [];
      p.grounds.forEach(function (g) {
        if (g.strength !== strength) return;
        var s = st[g.order], needs;
        if (s === TRUE) { out.push({id: g.id, outcome: g.outcome, status: "applies", needs: []}); return; }
        if (s !== UNKNOWN) return;
        possible = true;
        if (g.staticNeeds) needs = g.staticNeeds;
        else if (g.flatNeeds) needs = g.flatNeeds.filter(function (k) { return !(k in f); });
        else needs = sortedUnique(g.needs(f, age, ageNeeds, cons));
        pos.push({id: g.id, outcome: g.outcome, status: "possible", needs: needs.slice()});
        if (best < strength) needs.forEach(function (k) { missing[k] = 1; });
      });
      out = out.concat(pos);
    });
    var outcome = best ? OUTCOME[best] : possible ? "undetermined" : "subject";
    var advice = [];
    var rel = relevant(p, f, age, cons, outcome, missing);
    var concerns = true, dates = [], until = null;
    if (mech === "mobilization") {
      p.grounds.forEach(function (g) { if (g.advice && st[g.order] === 0 && g.advice(f, age, cons) === TRUE) advice.push(g.id); });
      p.grounds.forEach(function (g) {
        if (g.retro !== null && day < g.retro && st[g.order]) rel.note.push(g.id + "_retroactive");
      });
    } else {
      var byId = {};
      p.grounds.forEach(function (g) { byId[g.id] = g; });
      out.forEach(function (o) {
        var g = byId[o.id];
        if (g.deadline) dates.push([g.deadline[0], iso(DATE_RULES[g.deadline[1]](day))]);
      });
      if (mech === "conscription" && typeof f.birth_date === "string") {
        var born = parseDay(f.birth_date);
        if (outcome === "not_subject") {
          if (out.some(function (o) { return o.id === "conscription_under_age" && o.status === "applies"; }))
            until = iso(consFirstDay(born) - 1);
        } else if (outcome === "subject" || outcome === "conditional") {
          var last = consLastDay(born, day);
          until = last === null ? null : iso(last);
        }
      }
    }
    // Given what the person did not know, a possible ground is listed only when one of its open
    // facts was asked; the others were skipped because the outcome was settled.
    var skipped = 0;
    if (dontKnow && possible) {
      var shown = out.filter(function (g) { return g.status === "applies" || g.needs.some(function (k) { return dontKnow[k]; }); });
      skipped = out.length - shown.length;
      out = shown;
    }
    var bases = (D.mechanismBases || {})[mech] || [];
    return {outcome: outcome, concerns: concerns, until: until, grounds: out, advice: advice,
            missing: sortedUnique(Object.keys(missing)), caveats: rel.caveat, notes: rel.note, steps: rel.step,
            basis: bases.indexOf(outcome) >= 0 ? outcome : null, dates: dates, skipped: skipped};
  }
  function context(f, day) {
    var agePair = null;
    function ageOf() { return agePair || (agePair = ageLimit(f, day)); }
    var age = ageOf()[0], cons = conscription(f, day);
    return {age: age, ageNeeds: function () { return ageOf()[1]; }, cons: cons, st: C.statuses(f, age, cons)};
  }
  function assess(f, day, dontKnow) {  // f: validated and implied; dontKnow: a set, or null
    var c = context(f, day), mechs = {};
    D.mechanisms.forEach(function (m) { mechs[m] = mechanism(m, f, day, dontKnow, c.st, c.age, c.ageNeeds, c.cons); });
    var mob = mechs.mobilization;
    var out = {outcome: mob.outcome, as_of: iso(day), rules_version: D.version, grounds: mob.grounds, advice: mob.advice,
               missing: mob.missing, caveats: mob.caveats, notes: mob.notes, steps: mob.steps,
               basis: D.bases.indexOf(mob.outcome) >= 0 ? mob.outcome : null, skipped: mob.skipped, mechanisms: {}};
    D.mechanisms.forEach(function (m) {
      var x = mechs[m];
      out.mechanisms[m] = {id: m, outcome: x.outcome, concerns: x.concerns, until: x.until, grounds: x.grounds,
                           missing: x.missing, caveats: x.caveats, notes: x.notes, steps: x.steps,
                           basis: x.basis, dates: x.dates};
    });
    return out;
  }
  // Every mechanism's open facts: a question is worth asking when it can change any of them.
  // Kept per answers and day (bounded): the planner replays a path's prefixes for every state.
  var wantedBy = Object.create(null), wantedCount = 0;
  function missingOf(f, day) {  // not to be changed by the caller
    var key = day + "|" + JSON.stringify(Object.keys(f).sort().map(function (k) { return [k, f[k]]; }));
    var found = wantedBy[key];
    if (found) return found;
    if (++wantedCount > 8192) { wantedBy = Object.create(null); wantedCount = 1; }
    return (wantedBy[key] = missingNow(f, day));
  }
  function missingNow(f, day) {
    f = implied(f);
    var c = context(f, day), wanted = Object.create(null);
    D.mechanisms.forEach(function (m) {
      mechanism(m, f, day, null, c.st, c.age, c.ageNeeds, c.cons).missing.forEach(function (k) { wanted[k] = 1; });
    });
    return wanted;
  }

  // --- the interview planner (RuleSet._next, _path, relevant, snapshot) -----------------------
  var questions = D.questions;
  var questionById = {};
  questions.forEach(function (q) { questionById[q.id] = q; });
  function dayOf(asOf) {
    if (asOf === undefined || asOf === null) return todayInMoscow();
    var day = typeof asOf === "string" && asOf.length === 10 ? parseDay(asOf) : null;
    if (day === null) throw new TypeError("asOf must be a date YYYY-MM-DD");
    return day;
  }
  function setOf(list) {
    var s = Object.create(null);
    (list || []).forEach(function (k) { s[k] = 1; });
    return s;
  }
  function next(f, day, dk) {
    var wanted = missingOf(f, day);
    for (var i = 0; i < questions.length; i++) {
      var keys = questions[i].facts;
      for (var j = 0; j < keys.length; j++) {
        var k = keys[j];
        if (wanted[k] && !(k in f) && !dk[k]) return questions[i];
      }
    }
    return null;
  }
  function pathOf(f, day, dk) {
    var asked = [], partial = Object.create(null), unknown = Object.create(null);
    for (;;) {
      var q = next(partial, day, unknown);
      if (q === null || !q.facts.every(function (k) { return k in f || dk[k]; })) return asked;
      asked.push(q);
      q.facts.forEach(function (k) { if (k in f) partial[k] = f[k]; else unknown[k] = 1; });
    }
  }
  function snapshot(f, day, dk, path) {  // path: pathOf(f, day, dk) when already known
    path = path || pathOf(f, day, dk);
    var kept = missingOf(f, day), wanted = Object.create(null), nxt = null;
    for (var w in kept) wanted[w] = 1;
    function open(k) { return wanted[k] && !(k in f) && !dk[k]; }
    for (var i = 0; i < questions.length && nxt === null; i++) if (questions[i].facts.some(open)) nxt = questions[i];
    // Narrowing the birth date can bring up finer questions, and the rank and sex that decide
    // the limit: counted so the bound never grows; not when the person did not know.
    var age = wanted.age && !dk.age, year = wanted.birth_year && !dk.birth_year, month = wanted.birth_month && !dk.birth_month;
    if (age) ["birth_year", "birth_month", "rank", "sex"].forEach(function (k) { wanted[k] = 1; });
    if (year) ["birth_month", "rank", "sex"].forEach(function (k) { wanted[k] = 1; });
    if (month) ["rank", "sex"].forEach(function (k) { wanted[k] = 1; });
    var toCome = questions.filter(function (q) { return q.facts.some(open); }).length;
    return {path: path.map(function (q) { return q.id; }), next: nxt ? nxt.id : null, to_come: toCome};
  }
  // The answer buttons' fact values (RuleSet.choices), without labels.
  function choiceSets(q, f, day) {
    if (q.kind === "choice") return q.options.map(function (o) { return o.set; });
    if (q.kind === "checklist") return q.facts.map(function (k) { var s = {}; s[k] = true; return s; });
    var bands = ageBands(day);
    if (q.kind === "age") return bands.map(function (b, i) { return {age: i === 0 ? b[1] : b[0]}; });
    var band = [0, 100];
    if (typeof f.age === "number") {
      band = [f.age, f.age];
      for (var i = 0; i < bands.length; i++) if (bands[i][0] <= f.age && f.age <= bands[i][1]) { band = bands[i]; break; }
    }
    var year = ymd(day)[0], out = [];
    for (var y = year - band[1] - 1; y <= year - band[0]; y++) out.push({birth_year: y});
    return out;
  }
  function plain(f) { var o = {}; for (var k in f) o[k] = f[k]; return o; }

  var api = {
    version: D.version,
    facts: FACT_KEYS.slice(),
    /* The verdict for plain-object facts on asOf ("YYYY-MM-DD", default today in Moscow):
     * {outcome, as_of, rules_version, grounds: [{id, outcome, status, needs}], advice: [ground ids],
     *  missing, caveats: [ids], notes: [ids], steps: [ids], basis, skipped,
     *  mechanisms: {mobilization|conscription|assemblies: {id, outcome, concerns, until, grounds,
     *  missing, caveats, notes, steps, basis, dates: [[id, "YYYY-MM-DD"]]}}} (rules.MechanismOut by
     *  ids). Throws a FactsError (.keys, .message) on bad facts. */
    evaluate: function (facts, asOf, dontKnow) {
      var day = dayOf(asOf);
      return assess(implied(validate(facts, day)), day, dontKnow === undefined || dontKnow === null ? null : setOf(dontKnow));
    },
    /* The id of the next question whose answer can still change the verdict, or null. */
    nextQuestion: function (facts, asOf, dontKnow) {
      var day = dayOf(asOf), q = next(validate(facts, day), day, setOf(dontKnow));
      return q ? q.id : null;
    },
    path: function (facts, asOf, dontKnow) {
      var day = dayOf(asOf);
      return pathOf(validate(facts, day), day, setOf(dontKnow)).map(function (q) { return q.id; });
    },
    snapshot: function (facts, asOf, dontKnow) {
      var day = dayOf(asOf);
      return snapshot(validate(facts, day), day, setOf(dontKnow));
    },
    /* Only the answers on the current path, and the "don't know"s on it. */
    relevant: function (facts, asOf, dontKnow) {
      var day = dayOf(asOf), f = validate(facts, day), dk = setOf(dontKnow), keys = {};
      pathOf(f, day, dk).forEach(function (q) { q.facts.forEach(function (k) { keys[k] = 1; }); });
      var out = {};
      for (var k in f) if (keys[k]) out[k] = f[k];
      return {facts: out, dontKnow: (dontKnow || []).filter(function (k) { return keys[k]; })};
    },
    /* relevant(), and the planner's snapshot of what it keeps, in one pass (the path is the same:
     * it reads only the facts on it). */
    settle: function (facts, asOf, dontKnow) {
      var day = dayOf(asOf), f = validate(facts, day), path = pathOf(f, day, setOf(dontKnow)), keys = {};
      path.forEach(function (q) { q.facts.forEach(function (k) { keys[k] = 1; }); });
      var out = {}, dk = (dontKnow || []).filter(function (k) { return keys[k]; });
      for (var k in f) if (keys[k]) out[k] = f[k];
      return {facts: out, dontKnow: dk, snapshot: snapshot(validate(out, day), day, setOf(dk), path)};
    },
    /* The answer buttons' facts of question `id` (RuleSet.choices without labels). */
    choiceSets: function (id, facts, asOf) { return choiceSets(questionById[id], facts, dayOf(asOf)); },
    ageBands: function (asOf) { return ageBands(dayOf(asOf)).map(function (b) { return b.slice(); }); },
    question: function (id) { return questionById[id] || null; },
    questions: function () { return questions.map(function (q) { return q.id; }); },
    today: function () { return iso(todayInMoscow()); },
    parseDay: function (s) { var d = typeof s === "string" && s.length === 10 ? parseDay(s) : null; return d === null ? null : iso(d); },
    validate: function (facts, asOf) { return plain(validate(facts, dayOf(asOf))); }
  };
  return api;
}
if (typeof module !== "undefined" && module.exports) module.exports = exemptEngine;
