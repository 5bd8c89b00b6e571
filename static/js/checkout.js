/* The checkout page's live totals: whenever the address, the shipping method or the coupon change, ask
   POST /api/cart/quote/ (the same figures the order will have; nothing is stored) with the session
   cookie and the CSRF token, and redraw subtotal, discount, shipping, tax and total. A new country also
   reloads the shipping methods that serve it. Without this script the "Update totals" button does the
   same through the server. */
(function () {
  "use strict";
  var form = document.getElementById("checkout-form");
  if (!form || !window.fetch) return;
  var statusLine = document.getElementById("quote-status");
  var totals = document.getElementById("checkout-totals");
  var methodSelect = form.querySelector("select[name=shipping_method]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: form.dataset.currency || "USD" });
  var timer = null;
  var lastCountry = null;
  var asked = 0;

  function chosenAddress() {
    return form.querySelector("input[name=address]:checked");
  }

  function newAddressValue(name) {
    var field = form.querySelector("[name='new-" + name + "']");
    return field ? field.value : "";
  }

  function destination() {
    var choice = chosenAddress();
    if (!choice) return null;
    if (choice.value !== "new") return { address_id: parseInt(choice.value, 10), country: choice.dataset.country };
    var address = {};
    ["full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone"].forEach(function (name) {
      address[name] = newAddressValue(name);
    });
    return { shipping_address: address, country: address.country };
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function drawFigures(quote) {
    var list = document.getElementById("checkout-figures");
    if (!list) {
      totals.innerHTML =
        '<dl class="totals" id="checkout-figures">' +
        ["subtotal", "discount", "shipping", "tax", "total"]
          .map(function (name) {
            var grand = name === "total" ? ' class="totals__grand"' : "";
            var label = name.charAt(0).toUpperCase() + name.slice(1);
            return "<dt" + grand + ">" + label + "</dt><dd" + grand + ' data-figure="' + name + '"></dd>';
          })
          .join("") +
        "</dl>";
      list = document.getElementById("checkout-figures");
    }
    ["subtotal", "discount", "shipping", "tax", "total"].forEach(function (name) {
      var cell = list.querySelector("[data-figure=" + name + "]");
      var amount = money.format(parseFloat(quote[name]));
      cell.textContent = name === "discount" ? "−" + amount : amount;
    });
  }

  function reloadMethods(country) {
    if (!methodSelect || !country) return Promise.resolve();
    var url = form.dataset.methodsUrl + "?page_size=100&country=" + encodeURIComponent(country);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        var current = methodSelect.value;
        methodSelect.innerHTML = "";
        body.results.forEach(function (method) {
          var option = document.createElement("option");
          option.value = method.code;
          option.textContent = method.name + ": " + money.format(parseFloat(method.price)) +
            " (" + method.estimated_days_min + "–" + method.estimated_days_max + " days)";
          option.selected = method.code === current;
          methodSelect.appendChild(option);
        });
        if (!body.results.length) say("No shipping method serves this country yet.");
      });
  }

  function quote() {
    var where = destination();
    if (!where || !where.country) return;
    var ready = where.country === lastCountry ? Promise.resolve() : reloadMethods(where.country);
    lastCountry = where.country;
    ready.then(function () {
      if (!methodSelect || !methodSelect.value) return;
      var body = { shipping_method: methodSelect.value, coupon_code: form.querySelector("[name=coupon_code]").value || null };
      if (where.address_id) body.address_id = where.address_id; else body.shipping_address = where.shipping_address;
      var ticket = ++asked;
      say("Updating totals…");
      fetch(form.dataset.quoteUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body)
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (answer) {
          if (ticket !== asked) return; // a later change is on its way
          if (answer.ok) {
            drawFigures(answer.data);
            say("Totals updated.");
          } else {
            say(answer.data.detail || Object.keys(answer.data).map(function (key) {
              return [].concat(answer.data[key]).join(" ");
            }).join(" "));
          }
        })
        .catch(function () { say("The totals could not be updated; press “Update totals”."); });
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(quote, 400);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", function (event) {
    if (event.target.name === "coupon_code" || event.target.name.indexOf("new-") === 0) soon();
  });
  var chosen = chosenAddress();
  lastCountry = chosen && chosen.value !== "new" ? chosen.dataset.country : null;
})();
