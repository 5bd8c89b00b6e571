from core.errors import BusinessError


class PaymentProviderError(BusinessError):
    """Stripe could not be reached or refused the request: nothing was charged, the client may retry."""

    status_code = 502
    code = "payment_provider_error"
    default_detail = "The payment provider is not available right now; please try again in a moment."


class InvalidWebhook(BusinessError):
    """A webhook call whose signature, timestamp or body does not check out: it changes nothing."""

    status_code = 400
    code = "invalid_webhook"
    default_detail = "Invalid webhook signature or payload."
