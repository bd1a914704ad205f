/* exempt-bot offline page: the notice screens' computation, the same as rules/notice.py over the same data
   (notices.yaml, serialised by NoticeBook.as_data): the lines that fit the answers, and their
   dates (the posting day plus `days`, or the next listed month-day after the as-of day).
   tests/test_offline_notice.py holds the two equal. Dates are ISO strings, computed in UTC. */
function exemptNotice(D) {
  "use strict";
  var KINDS = ["requirements", "dates", "caveats"];
  var DAY = 86400000;

  function toTime(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function toIso(time) { return new Date(time).toISOString().slice(0, 10); }
  function addDays(iso, n) { return toIso(toTime(iso) + n * DAY); }
  function shown(iso) { return iso.slice(8, 10) + "." + iso.slice(5, 7) + "." + iso.slice(0, 4); }

  // The first of the month-days ("04-01") strictly after `after`.
  function nextListed(monthDays, after) {
    var year = +after.slice(0, 4), best = null;
    [year, year + 1].forEach(function (y) {
      monthDays.forEach(function (md) {
        var iso = y + "-" + md;
        if (iso > after && (best === null || iso < best)) best = iso;
      });
    });
    return best;
  }

  function has(list, value) { return list === null || list.indexOf(value) >= 0; }

  function fits(line, source, purpose, mechanism, day) {
    return has(line.sources, source) && has(line.purposes, purpose) &&
      has(line.mechanisms, mechanism) && (line.from === null || line.from <= day) &&
      (line.until === null || day <= line.until);
  }

  function dateOf(line, posted, asOf) {
    if (line.next) return nextListed(line.next, asOf);
    if (line.days !== null && posted !== null) return addDays(posted, line.days);
    return null;
  }

  function mechanismOf(purpose) {
    for (var i = 0; i < D.purposes.length; i++) if (D.purposes[i][0] === purpose) return D.purposes[i][1];
    return null;
  }

  // answers: source and purpose ids, posted (ISO) or null; as of an ISO day; lang "ru" or "en".
  function notice(source, purpose, posted, asOf, lang) {
    if (D.sources.indexOf(source) < 0) throw new Error("unknown source " + source);
    var mech = mechanismOf(purpose);
    if (mech === null) throw new Error("unknown purpose " + purpose);
    if (posted !== null && posted > asOf) throw new Error("the posting date is after the as-of date");
    var m = D.mechanisms[mech], day = posted === null ? asOf : posted;
    var out = {as_of: asOf, source: source, purpose: purpose, posted: posted, mechanism: mech,
               title: m.title[lang], summary: m.summary[lang]};
    KINDS.forEach(function (kind) { out[kind] = []; });
    D.lines.forEach(function (line) {
      if (!fits(line, source, purpose, mech, day)) return;
      var date = dateOf(line, posted, asOf);
      var text = date !== null ? line.text[lang].split("{date}").join(shown(date))
        : (line.rule || line.text)[lang];
      out[line.kind].push({id: line.id, kind: line.kind, text: text, date: date,
                           citations: line.citations[lang]});
    });
    return out;
  }

  return {notice: notice, sources: D.sources, purposes: D.purposes, nextListed: nextListed,
          addDays: addDays, shown: shown};
}
