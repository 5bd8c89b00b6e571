/* The Pay button on the order page (templates/orders/_pay.html), with standard Stripe.js only.
 *
 * When the page loads, Stripe's card Element is mounted in the form and the button enabled. On "Pay":
 * 1. ask the shop for the order's PaymentIntent: POST /api/orders/<id>/payment/ with the session cookie
 *    and the CSRF token (a second click gets the same intent back, so it cannot charge twice);
 * 2. stripe.confirmCardPayment(client_secret, {payment_method: {card}}): Stripe charges the card, with
 *    3-D Secure when the bank asks for it;
 * 3. a refusal (declined card, order no longer payable) is shown, and the shopper may try again; a
 *    success says so. The order turns Paid only when Stripe's webhook reaches the shop; the live status
 *    (order-status.js) then reloads the page.
 */
(function () {
  "use strict";

  var form = document.getElementById("pay-form");
  if (!form) {
    return;
  }
  var button = document.getElementById("pay-button");
  var errorBox = document.getElementById("pay-error");
  var progress = document.getElementById("pay-progress");
  var payLabel = button.textContent;

  var UNREACHABLE = "We could not reach the payment service. Check your connection and try again.";
  var NOT_CHARGED = "Your card was not charged. Please check the details or try another card.";

  /* A refusal with a message meant for the shopper (from the shop or from Stripe). */
  function Refusal(message) {
    this.message = message;
  }

  function showError(message) {
    progress.textContent = "";
    errorBox.textContent = message;
  }

  function setBusy(busy) {
    button.disabled = busy;
    button.textContent = busy ? "Paying…" : payLabel;
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  if (typeof window.Stripe !== "function") {
    showError("Card payments are unavailable right now. Please reload the page in a moment.");
    return;
  }

  var stripe = window.Stripe(form.getAttribute("data-publishable-key"));
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  card.on("change", function (event) {
    errorBox.textContent = event && event.error ? event.error.message : "";
  });
  button.disabled = false;

  function requestIntent() {
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(form.getAttribute("data-payment-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (body) {
        if (!response.ok) {
          throw new Refusal(body.detail || "The payment could not be started. Please try again.");
        }
        return body;
      });
    });
  }

  function confirmPayment(intent) {
    return stripe.confirmCardPayment(intent.client_secret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          throw new Refusal(result.error.message || NOT_CHARGED);
        }
        var status = result.paymentIntent.status;
        if (status !== "succeeded" && status !== "processing") {
          throw new Refusal(NOT_CHARGED);
        }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    setBusy(true);
    errorBox.textContent = "";
    progress.textContent = "Processing your payment…";
    requestIntent()
      .then(confirmPayment)
      .then(function () {
        form.querySelector(".pay-form__card").hidden = true;
        button.hidden = true;
        progress.textContent = "Payment received — confirming…";
      })
      .catch(function (error) {
        setBusy(false);
        showError(error instanceof Refusal ? error.message : UNREACHABLE);
      });
  });
})();
