"""Run localstripe, the Stripe emulator, for the demo, the tests and the load bench.

Usage: python scripts/localstripe_server.py --port PORT

Two changes to localstripe 1.15.10, made in this process only:

- Its state stays in memory. localstripe pickles its whole store to the fixed path
  /tmp/localstripe.pickle after every write: parallel test workers would overwrite one another's file,
  and a later localstripe started without `--from-scratch` would load their leftovers. Every user of
  this script starts from scratch anyway.
- Its Stripe.js emulation can take a card payment. localstripe's `Stripe().confirmCardPayment()` skips
  the confirmation and goes straight to 3-D Secure authentication, so any payment of a fresh
  PaymentIntent fails with 400 (https://github.com/adrienverge/localstripe/issues/253; the fixes proposed
  upstream in pull requests 242 and 258 are not released). Here it does what Stripe.js does: it
  confirms the PaymentIntent from the browser with the publishable key and the client secret, with the
  card typed into the card Element, and asks for 3-D Secure only when the card requires it
  (localstripe_confirm_card_payment.js). The shop's pages use nothing but standard Stripe.js calls, so
  they work the same against real Stripe.
"""

import re
import sys
from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe.errors import UserError

CONFIRM_URL = "/v1/payment_intents/{id}/confirm"
CONFIRM_PATH = re.compile(r"^/v1/payment_intents/\w+/confirm$")
CONFIRM_CARD_PAYMENT_JS = Path(__file__).with_name("localstripe_confirm_card_payment.js").read_text()

resources.Store.dump_to_disk = lambda self: None

_server_side_confirm = resources.PaymentIntent._api_confirm


def _confirm(cls, id, client_secret=None, payment_method=None, payment_method_data=None, **kwargs):
    """`POST /v1/payment_intents/{id}/confirm`, also as Stripe.js calls it: with the card to charge.

    Without a card this is localstripe's own confirmation of an intent that already has one.
    """
    if payment_method is None and payment_method_data is None:
        return _server_side_confirm(id=id, **kwargs)
    if kwargs:
        raise UserError(400, "Unexpected " + ", ".join(kwargs))
    if not (
        isinstance(id, str)
        and id.startswith("pi_")
        and (client_secret is None or isinstance(client_secret, str))
        and (payment_method is None or isinstance(payment_method, str))
        and (payment_method_data is None or isinstance(payment_method_data, dict))
    ):
        raise UserError(400, "Bad request")
    intent = cls._api_retrieve(id)
    if client_secret is not None and client_secret != intent.client_secret:
        raise UserError(401, "Unauthorized")
    if intent.status not in ("requires_payment_method", "requires_confirmation"):
        raise UserError(400, f"This PaymentIntent's status is {intent.status}.")
    if payment_method_data is not None:
        method = resources.PaymentMethod(**payment_method_data)
    else:
        method = resources.PaymentMethod._api_retrieve(payment_method)
    intent.payment_method = method.id
    intent.latest_charge = None  # a new attempt, after a declined one
    intent._confirm(on_failure_now=intent._report_failure)
    return intent


resources.PaymentIntent._api_confirm = classmethod(_confirm)
# localstripe's server binds its routes to the functions listed here when it is imported (below).
resources.extra_apis[:] = [
    (method, url, resources.PaymentIntent._api_confirm if url == CONFIRM_URL else func)
    for method, url, func in resources.extra_apis
]


def _patch_server(server) -> None:
    stock_auth = server.auth_middleware

    @web.middleware
    async def auth(request, handler):
        """Stripe.js may confirm a PaymentIntent with the publishable key when it sends the client
        secret too (localstripe accepts that for SetupIntents only); everything else as localstripe."""
        if request.method == "POST" and CONFIRM_PATH.match(request.path) and not server.get_api_key(request):
            data = await server.get_post_data(request, remove_auth=False) or {}
            if str(data.get("key", "")).startswith("pk_") and isinstance(data.get("client_secret"), str):
                return await handler(request)
        return await stock_auth(request, handler)

    @web.middleware
    async def stripe_js(request, handler):
        response = await handler(request)
        if request.path == "/js.stripe.com/v3/" and response.status == 200:
            return web.Response(
                text=response.text + CONFIRM_CARD_PAYMENT_JS, content_type="application/javascript"
            )
        return response

    middlewares = server.app.middlewares
    middlewares[middlewares.index(stock_auth)] = auth
    middlewares.insert(0, stripe_js)


def main() -> None:
    from localstripe import server  # after the changes above: it registers its routes on import

    _patch_server(server)
    sys.argv = ["localstripe", "--from-scratch", *sys.argv[1:]]
    server.start()


if __name__ == "__main__":
    main()
