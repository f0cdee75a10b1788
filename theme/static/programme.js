// The "print / save as PDF" button of a programme page: shown where the browser can print.
(function () {
  "use strict";
  if (!window.print) return;
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
