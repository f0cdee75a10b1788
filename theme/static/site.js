// Every page: the main menu on narrow screens, and the home page's profession picker.
// - The "Meny" link (which opens the menu as its target without JavaScript) becomes a button that folds the
//   menu in and out (aria-expanded); Escape closes it and returns focus to the button.
// - An activity's main action ("Anmäl dig") stays at the bottom of a phone's screen only while the one in its
//   key facts is out of sight.
// - The picker goes straight to the chosen profession's page (without JavaScript it opens the listing with the
//   profession in its query, which the listing's filter reads).
(function () {
  "use strict";
  var link = document.querySelector(".menu-link");
  var button = document.querySelector(".menu-button");
  var nav = document.getElementById("meny");
  if (link && button && nav) {
    link.hidden = true;
    button.hidden = false;
    var set = function (open) {
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    };
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") { set(false); button.focus(); }
    });
  }
  var action = document.querySelector(".main-action"), bar = document.querySelector(".sticky-action");
  if (action && bar && window.IntersectionObserver) {
    new IntersectionObserver(function (entries) {
      bar.hidden = entries[0].isIntersecting;
    }).observe(action);
  }
  var finder = document.querySelector("form[data-finder]");
  if (finder) {
    finder.addEventListener("submit", function (event) {
      var select = finder.querySelector("select");
      var chosen = select.options[select.selectedIndex];
      var url = chosen && chosen.getAttribute("data-url");
      event.preventDefault();
      if (url) location.href = url; else select.focus();
    });
  }
})();
