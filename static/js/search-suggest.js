/* Search-as-you-type for the header's search box: an ARIA 1.2 combobox with a listbox popup.

   While the shopper types (debounced), the box asks /search/suggest/?q= for suggestions (words that
   complete the text, genres, authors, titles, or "Did you mean …") and lists them under the box.
   Keyboard: ↓/↑ move through them (the input keeps focus; aria-activedescendant names the option),
   Enter opens the chosen one (or searches for the text when none is chosen), Escape closes the list
   (or, closed, clears the box), Tab leaves. A click or tap on an option opens it too. Without
   JavaScript the box is a plain search form. How many suggestions there are is said in a polite live
   region (no "status" role: the page's own status messages keep that). */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;
  var KIND_LABELS = {
    search: "Search",
    genre: "Genre",
    author: "Author",
    book: "Book",
    correction: "Did you mean",
  };

  var input = document.getElementById("site-search-input");
  var listbox = document.getElementById("site-search-listbox");
  var status = document.getElementById("site-search-status");
  if (!input || !listbox || !window.fetch) {
    return;
  }
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var latest = 0;
  var options = [];
  var active = -1;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    options.forEach(function (option, n) {
      option.setAttribute("aria-selected", n === index ? "true" : "false");
    });
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
    } else {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function go(option) {
    window.location.assign(option.getAttribute("data-url"));
  }

  function render(suggestions) {
    listbox.textContent = "";
    options = suggestions.map(function (suggestion, n) {
      var option = document.createElement("li");
      option.id = "site-search-option-" + n;
      option.className = "site-search__option site-search__option--" + suggestion.kind;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-url", suggestion.url);
      var kind = document.createElement("span");
      kind.className = "site-search__kind";
      kind.textContent = (KIND_LABELS[suggestion.kind] || suggestion.kind) + ": ";
      var label = document.createElement("span");
      label.className = "site-search__label";
      label.textContent = suggestion.label + (suggestion.kind === "correction" ? "?" : "");
      option.appendChild(kind);
      option.appendChild(label);
      if (suggestion.detail) {
        var detail = document.createElement("span");
        detail.className = "site-search__detail";
        detail.textContent = " " + suggestion.detail;
        option.appendChild(detail);
      }
      // mousedown, not click: the input must not lose focus (and close the list) first.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        go(option);
      });
      listbox.appendChild(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (options.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent =
        options.length + (options.length === 1 ? " suggestion" : " suggestions") + ", use the arrow keys";
    } else {
      close();
      status.textContent = "";
    }
  }

  function ask() {
    var text = input.value.trim();
    if (text.length < MIN_LENGTH) {
      render([]);
      return;
    }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (body) {
        if (ticket === latest && document.activeElement === input) {
          render(body.suggestions || []);
        }
      })
      .catch(function () {
        if (ticket === latest) {
          render([]);
        }
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", function (event) {
    var open = !listbox.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) {
        ask();
      } else if (options.length) {
        setActive(active + 1 < options.length ? active + 1 : 0);
      }
    } else if (event.key === "ArrowUp") {
      if (open && options.length) {
        event.preventDefault();
        setActive(active > 0 ? active - 1 : options.length - 1);
      }
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault();
        go(options[active]);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", close);
})();
