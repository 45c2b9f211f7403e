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
    foldMenuOnPhones();
    countCharacters(document);
    revealConditionals(document);
  });

  // The GOV.UK conditional reveal: a radio button with data-reveals="<id>" shows that block only while it is
  // chosen (aria-controls links them, as GOV.UK does). Without JavaScript every block shows.
  function revealConditionals(scope) {
    var radios = scope.querySelectorAll("input[type=radio][data-reveals]");
    function update() {
      Array.prototype.forEach.call(radios, function (radio) {
        var block = document.getElementById(radio.dataset.reveals);
        if (!block) { return; }
        radio.setAttribute("aria-controls", block.id);
        block.classList.toggle("radios__conditional--hidden", !radio.checked);
      });
    }
    Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", update); });
    update();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target) { countCharacters(event.detail.target.isConnected ? event.detail.target : document); }
  });

  // The GOV.UK character count: under each field with a limit, how many characters are left — or how many too
  // many, since nothing stops a long paste (the server then says so and keeps the text). Screen readers hear it
  // once typing pauses.
  function countCharacters(scope) {
    var fields = scope.querySelectorAll("[data-maxlength]");
    Array.prototype.forEach.call(fields, function (field) {
      var message = document.getElementById(field.id + "-count");
      if (!message || field.dataset.counted) { return; }
      field.dataset.counted = "yes";
      var limit = parseInt(field.dataset.maxlength, 10);
      var live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      message.parentNode.insertBefore(live, message.nextSibling);
      var timer = null;
      function words(left) {
        // The sentences come translated from the page (data-left-one, data-over-many …), "%s" the number.
        var count = Math.abs(left);
        var key = (left >= 0 ? "left" : "over") + (count === 1 ? "One" : "Many");
        return (message.dataset[key] || "%s").replace("%s", count.toLocaleString("en-GB"));
      }
      function update(announce) {
        var left = limit - field.value.length;
        message.textContent = words(left);
        message.classList.toggle("character-count__message--over", left < 0);
        if (announce) {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () { live.textContent = message.textContent; }, 800);
        }
      }
      field.addEventListener("input", function () { update(true); });
      update(false);
    });
  }

  // The GOV.UK pattern on a narrow screen: the header is the service name, the bell and a "Menu" button; the
  // links open under it. Wide screens (and browsers without JavaScript) always show them.
  function foldMenuOnPhones() {
    var button = document.querySelector(".site-header__menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 40em)");
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("site-menu--folded", !open);
    }
    function fit() {
      button.hidden = !narrow.matches;
      setOpen(!narrow.matches);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
    fit();
  }
})();
