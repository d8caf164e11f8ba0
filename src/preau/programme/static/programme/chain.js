// Order and invoice lines: show the VAT and the amount incl. VAT that the server will
// compute, as placeholders, while the amount excl. VAT and the rate are typed. Integer
// cents only (BigInt), rounded half-up like the server: never a floating-point amount.
(function () {
  "use strict";
  var comma = (document.documentElement.lang || "fr").slice(0, 2) === "fr";

  function hundredths(text) {
    // "1 234,56" or "1234.56" → 123456n; null when it is not such a number.
    var s = (text || "").replace(/[\s\u00a0\u202f€]/g, "");
    if (s.indexOf(",") >= 0 && s.indexOf(".") >= 0) {
      s = s.lastIndexOf(",") > s.lastIndexOf(".") ? s.replace(/\./g, "").replace(",", ".") : s.replace(/,/g, "");
    } else {
      s = s.replace(",", ".");
    }
    var m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
    if (!m) { return null; }
    return BigInt(m[1]) * 100n + BigInt(((m[2] || "") + "00").slice(0, 2));
  }

  function show(cents) {
    var whole = (cents / 100n).toString();
    var frac = (cents % 100n).toString().padStart(2, "0");
    return whole + (comma ? "," : ".") + frac;
  }

  function update(row) {
    var field = function (name) { return row.querySelector("input[name$='-" + name + "']"); };
    var ht = hundredths(field("amount_ht") && field("amount_ht").value);
    var rate = hundredths(field("vat_rate") && field("vat_rate").value);
    var vatInput = field("vat_amount");
    var ttcInput = field("amount_ttc");
    if (!vatInput || !ttcInput) { return; }
    if (ht === null || rate === null) {
      vatInput.placeholder = "";
      ttcInput.placeholder = "";
      return;
    }
    var vat = (ht * rate + 5000n) / 10000n;  // cents × (rate in hundredths of %), half-up
    vatInput.placeholder = show(vat);
    ttcInput.placeholder = show(ht + vat);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".programme-lines tbody tr").forEach(function (row) {
      update(row);
      row.addEventListener("input", function () { update(row); });
    });
  });
})();
