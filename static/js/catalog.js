/* The catalog page's small enhancements; without JavaScript the page works with its buttons.
   - The sort menu applies as soon as it changes (the <noscript> "Sort" button does it otherwise).
   - The "Genres and filters" panel starts open where there is room for it beside the books (it stays
     folded on phones, so the books come first). */
(function () {
  "use strict";

  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) {
        select.form.requestSubmit();
      }
    });
  });

  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }
})();
