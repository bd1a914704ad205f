/* exempt-bot offline page: the page's data restored whole from its packed form (offline/pack.py):
 * "~" and a base-36 index is a string from the table P.s ("~~" a string that starts with "~"); an
 * array starting with -2 - i is an object with the keys P.k[i] ([-1, ...] a plain array that
 * starts with a negative number). tests/test_offline_pack.py holds the round trip exact. */
function exemptUnpack(P) {
  "use strict";
  function un(v) {
    var out, i, keys;
    if (typeof v === "string") {
      if (v.charAt(0) !== "~") return v;
      return v.charAt(1) === "~" ? v.slice(1) : P.s[parseInt(v.slice(1), 36)];
    }
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      if (typeof v[0] !== "number" || v[0] >= 0) return v.map(un);
      if (v[0] === -1) return v.slice(1).map(un);
      keys = P.k[-2 - v[0]];
      out = {};
      for (i = 0; i < keys.length; i++) out[keys[i]] = un(v[i + 1]);
      return out;
    }
    out = {};
    for (i in v) if (Object.prototype.hasOwnProperty.call(v, i)) out[i] = un(v[i]);
    return out;
  }
  return un(P.d);
}
