// Frontline's small enhancements. Everything works without this file.
(function () {
  "use strict";

  // After htmx swaps in new content, move focus somewhere sensible: an error summary first, then a heading
  // inside the swapped region marked with data-focus-after-swap.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    var focusable = target.querySelector(".error-summary") || target.querySelector("[data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) { focusable.setAttribute("tabindex", "-1"); }
      focusable.focus();
    }
  });

  // An error summary on a freshly loaded page takes focus, so screen reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
