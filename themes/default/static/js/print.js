// "Print this sheet" on a project idea's page. Printing from a button needs JavaScript, so the
// button stays hidden without it; the browser's own Print uses the same print stylesheet.
(() => {
  "use strict";
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
})();
