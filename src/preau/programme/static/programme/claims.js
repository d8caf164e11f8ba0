// The running total of the invoices ticked in a claim's "can be added" list. Amounts
// are whole cents (data-cents), added as integers: no floating-point money.
"use strict";

function formatCents(cents, lang) {
  const euros = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  const grouped = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(euros);
  return grouped + (lang.startsWith("fr") ? "," : ".") + rest;
}

document.addEventListener("DOMContentLoaded", () => {
  const lang = document.documentElement.lang || "fr";
  for (const form of document.querySelectorAll("form[data-running-total]")) {
    const output = form.querySelector("[data-total]");
    const update = () => {
      let cents = 0;
      for (const box of form.querySelectorAll("input[type=checkbox][data-cents]:checked")) {
        cents += Number.parseInt(box.dataset.cents, 10);
      }
      output.textContent = formatCents(cents, lang);
    };
    form.addEventListener("change", update);
    update();
  }
});
