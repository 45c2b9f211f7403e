// Frontline's small enhancements. Everything works without this file.
(function () {
  "use strict";

  // After htmx swaps in new content, move focus somewhere sensible: an error summary first, then a heading
  // inside the swapped region marked with data-focus-after-swap.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    // After an outerHTML swap the old target has left the page: look for the marker in the document instead.
    var scope = target.isConnected ? target : document;
    var focusable = scope.querySelector(".error-summary") || scope.querySelector("[data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) { focusable.setAttribute("tabindex", "-1"); }
      focusable.removeAttribute("data-focus-after-swap");
      focusable.focus();
    }
  });

  // An error summary on a freshly loaded page takes focus, so screen reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
