// Subscription blocks. (1) Choices: an activity page's "Prenumerera" offers the activity's professions, region
// and type as radio buttons; choosing one points the block's links at that calendar (without this script they
// subscribe to the first, which the block names). (2) Copy buttons beside calendar addresses, shown only where
// the clipboard can be written; a button's data-copied holds the page's word for "copied" (from the catalogue).
(function () {
  "use strict";
  [].forEach.call(document.querySelectorAll(".feed-choices"), function (fieldset) {
    var block = fieldset.closest(".subscribe");
    var chosen = block.querySelector(".feed-chosen");
    fieldset.hidden = false;
    if (chosen) chosen.hidden = true;
    fieldset.addEventListener("change", function (event) {
      var input = event.target;
      [].forEach.call(block.querySelectorAll(".subscribe-actions a[data-feed]"), function (a) {
        a.href = input.getAttribute("data-" + a.getAttribute("data-feed"));
      });
    });
  });
  if (!navigator.clipboard || !window.isSecureContext) return;
  [].forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.textContent = button.dataset.copied || label;
        setTimeout(function () { button.textContent = label; }, 2500);
      });
    });
  });
})();
