import factory

from .models import Payment, PaymentStatus


class PaymentFactory(factory.django.DjangoModelFactory):
    """A payment whose intent Stripe has created (for tests that need no Stripe round trip)."""

    class Meta:
        model = Payment

    attempt = factory.Sequence(lambda n: n + 1)
    payment_intent_id = factory.Sequence(lambda n: f"pi_test{n:08d}")
    client_secret = factory.LazyAttribute(lambda p: f"{p.payment_intent_id}_secret_test")
    amount = factory.LazyAttribute(lambda p: p.order.total)
    currency = factory.LazyAttribute(lambda p: p.order.currency)
    status = PaymentStatus.REQUIRES_PAYMENT
