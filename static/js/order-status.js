/* Live order status on the order page.
 *
 * While an order awaits payment, ask the shop every 2 seconds for its status (the element with
 * data-status-url points at /orders/<id>/status.json). When the status changes (the payment webhook
 * marked it paid, or the payment window closed) show the new one and reload the page, so everything
 * that depends on the status (the Pay button, the Cancel button) is redrawn by the server.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var badge = document.querySelector("[data-status-url]");
  if (!badge || !window.fetch) {
    return;
  }
  var url = badge.getAttribute("data-status-url");
  var shown = badge.getAttribute("data-status");

  function schedule() {
    window.setTimeout(check, POLL_MS);
  }

  function check() {
    if (document.hidden) {  // nobody is looking: ask again later
      schedule();
      return;
    }
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 404) {
          return null;  // logged out, or not ours: stop asking
        }
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (body) {
        if (body === null) {
          return;
        }
        if (body.status !== shown) {
          badge.textContent = body.label;
          badge.setAttribute("data-status", body.status);
          badge.className = "status-badge status-badge--" + body.status;
          window.location.reload();
          return;
        }
        schedule();
      })
      .catch(schedule);  // a network hiccup: try again on the next beat
  }

  schedule();
})();
