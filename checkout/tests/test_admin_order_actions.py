"""The order page's buttons in the back office (checkout.admin_order_actions): only those the order's
status allows; each a confirm page, then a POST through the same service as the staff API. A refusal is
an error message in the service's words and changes nothing: no status, stock, refund row or email."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.factories import StaffFactory
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import order_placed
from checkout.services import order_status_set
from orders.models import Order, OrderStatus, ReturnLine, ReturnRequest, ReturnStatus, Shipment
from orders.services import order_deliver, order_ship
from payments.factories import PaymentFactory
from payments.models import Refund
from payments.tests.helpers import event_body, intent_object

from .helpers import post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def dune():
    return BookFactory(title="Dune", price=Decimal("12.50"), stock=5)


@pytest.fixture
def pending(user, dune):
    return order_placed(user=user, lines=[(dune, 2)])


@pytest.fixture
def paid(pending, api_client, django_capture_on_commit_callbacks, mailoutbox):
    """2 × Dune (25.00), paid through a signed webhook for a payment on record (refundable)."""
    payment = PaymentFactory(order=pending)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event_body("payment_intent.succeeded", intent_object(payment)))
    mailoutbox.clear()
    return Order.objects.get(pk=pending.pk)


def _url(order, action: str) -> str:
    return reverse(f"admin:orders_order_{action}", args=[order.pk])


def _change(order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def _post(client, url, data, capture):
    with capture(execute=True):
        response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response, [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _status(order) -> str:
    return Order.objects.get(pk=order.pk).status


def _stock(book) -> int:
    return Book.objects.get(pk=book.pk).stock


def _buttons(client, order) -> list[str]:
    return [action["label"] for action in client.get(_change(order)).context["order_actions"]]


# --- Which buttons ---------------------------------------------------------------------------------


def test_the_order_page_offers_only_what_the_status_allows(admin_client, paid):
    assert _buttons(admin_client, paid) == ["Ship…", "Cancel order…", "Refund…"]
    order_ship(order_id=paid.pk, carrier="ups", tracking_number="1Z1")
    assert _buttons(admin_client, paid) == ["Mark delivered…", "Refund…"]
    order_deliver(order_id=paid.pk)
    assert _buttons(admin_client, paid) == ["Refund…"]


def test_a_pending_order_can_only_be_cancelled_and_a_cancelled_one_not_at_all(admin_client, pending):
    page = admin_client.get(_change(pending)).content.decode()
    assert _buttons(admin_client, pending) == ["Cancel order…"]
    assert f'action="{_url(pending, "cancel")}"' in page and _url(pending, "ship") not in page

    order_status_set(order_id=pending.pk, to_status=OrderStatus.CANCELLED, by_staff=True)
    assert _buttons(admin_client, pending) == []


def test_the_order_page_shows_customer_address_note_and_timeline(admin_client, paid):
    page = admin_client.get(_change(paid)).content.decode()

    assert paid.user.email in page and reverse("admin:accounts_user_change", args=[paid.user_id]) in page
    assert "Ada Reader" in page  # the shipping address
    assert 'class="bo-timeline"' in page and "Stripe payment" in page
    assert 'name="_save"' not in page  # a record: changed by its buttons only


def test_a_button_of_another_status_is_refused_before_any_form(admin_client, pending, dune):
    response = admin_client.get(_url(pending, "ship"), follow=True)

    assert response.redirect_chain == [(_change(pending), 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Order {pending.pk} is pending: “Ship” does not apply."
    ]


def test_staff_who_may_only_view_orders_get_no_buttons_and_no_actions(paid, dune, mailoutbox):
    viewer = StaffFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client = Client()
    client.force_login(viewer)

    assert client.get(_change(paid)).context["order_actions"] == []
    assert client.get(_url(paid, "cancel")).status_code == 403
    assert client.post(_url(paid, "cancel"), {"reason": "No."}).status_code == 403
    assert client.post(_url(paid, "refund"), {f"quantity_{dune.pk}": 1, "reason": "x"}).status_code == 403
    assert _status(paid) == OrderStatus.PAID and _stock(dune) == 3 and not mailoutbox


def test_customers_are_sent_to_log_in(user, paid):
    client = Client()
    client.force_login(user)

    response = client.post(_url(paid, "cancel"), {"reason": "Mine."})

    assert response.status_code == 302 and "/admin/login/" in response.url
    assert _status(paid) == OrderStatus.PAID


def test_an_action_without_its_csrf_token_is_refused(admin_user, paid, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(_url(paid, "ship"), {"carrier": "ups", "tracking_number": "1Z1"})

    assert response.status_code == 403
    assert _status(paid) == OrderStatus.PAID and not Shipment.objects.exists() and not mailoutbox


# --- Ship and deliver ------------------------------------------------------------------------------


def test_ship_confirms_then_records_the_parcel_and_mails_the_customer(
    admin_client, admin_user, paid, mailoutbox, django_capture_on_commit_callbacks
):
    confirm = admin_client.get(_url(paid, "ship")).content.decode()
    assert "What will happen" in confirm and 'name="csrfmiddlewaretoken"' in confirm
    assert _status(paid) == OrderStatus.PAID  # the page alone changes nothing

    response, shown = _post(
        admin_client,
        _url(paid, "ship"),
        {"carrier": "UPS", "tracking_number": "1z999aa10123456784"},
        django_capture_on_commit_callbacks,
    )

    assert response.redirect_chain == [(_change(paid), 302)]
    assert shown == [("success", f"Order {paid.pk} shipped; the customer was emailed the tracking details.")]
    shipment = Shipment.objects.get(order=paid)
    assert (shipment.carrier, shipment.tracking_number, shipment.actor) == (
        "ups",
        "1Z999AA10123456784",
        admin_user,
    )
    assert _status(paid) == OrderStatus.SHIPPED
    (message,) = mailoutbox
    assert "tracknum=1Z999AA10123456784" in message.body


def test_ship_refused_by_the_service_changes_nothing(
    admin_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    # The page was opened while the order was paid; it is pending (or cancelled) by the time of the POST.
    response, shown = _post(
        admin_client,
        _url(pending, "ship"),
        {"carrier": "ups", "tracking_number": "1Z1"},
        django_capture_on_commit_callbacks,
    )

    assert response.redirect_chain == [(_change(pending), 302)]
    assert shown == [("error", "Nothing was changed. An order that is pending cannot become shipped.")]
    assert _status(pending) == OrderStatus.PENDING and not Shipment.objects.exists() and not mailoutbox


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"carrier": "ups"}, "tracking_number", "This field is required."),
        ({"carrier": "ups", "tracking_number": "1Z<1>"}, "tracking_number", "Enter the tracking number"),
    ],
)
def test_ship_with_bad_input_stays_on_the_form(
    admin_client, paid, mailoutbox, django_capture_on_commit_callbacks, data, field, error
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(paid, "ship"), data)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert _status(paid) == OrderStatus.PAID and not Shipment.objects.exists() and not mailoutbox


def test_deliver_and_its_refusal(admin_client, paid, mailoutbox, django_capture_on_commit_callbacks):
    _response, refused = _post(
        admin_client, _url(paid, "deliver"), {"note": ""}, django_capture_on_commit_callbacks
    )
    assert refused == [("error", "Nothing was changed. An order that is paid cannot become delivered.")]
    assert _status(paid) == OrderStatus.PAID and not mailoutbox

    order_ship(order_id=paid.pk, carrier="ups", tracking_number="1Z1")
    mailoutbox.clear()
    _response, shown = _post(
        admin_client,
        _url(paid, "deliver"),
        {"note": "Left with a neighbour."},
        django_capture_on_commit_callbacks,
    )

    assert shown == [("success", f"Order {paid.pk} delivered; the customer was invited to review the books.")]
    order = Order.objects.get(pk=paid.pk)
    assert order.status == OrderStatus.DELIVERED and order.delivered_at is not None
    assert order.status_changes.last().note == "Left with a neighbour."
    assert len(mailoutbox) == 1


# --- Cancel ----------------------------------------------------------------------------------------


def test_cancel_shows_what_happens_then_returns_stock_and_mails_the_reason(
    admin_client, pending, dune, mailoutbox, django_capture_on_commit_callbacks
):
    confirm = admin_client.get(_url(pending, "cancel")).content.decode()
    assert "2 × “Dune” go back to stock." in confirm
    assert _stock(dune) == 3

    _response, shown = _post(
        admin_client,
        _url(pending, "cancel"),
        {"reason": "The book is out of print."},
        django_capture_on_commit_callbacks,
    )

    assert shown == [("success", f"Order {pending.pk} cancelled; the customer was emailed the reason.")]
    assert _status(pending) == OrderStatus.CANCELLED and _stock(dune) == 5
    assert Order.objects.get(pk=pending.pk).status_changes.last().note == "The book is out of print."
    (message,) = mailoutbox
    assert "The book is out of print." in message.body


def test_cancelling_a_paid_order_says_it_refunds_the_card(admin_client, paid):
    confirm = admin_client.get(_url(paid, "cancel")).content.decode()

    assert "$25.00 is refunded to the customer&#x27;s card." in confirm


def test_cancel_needs_a_reason(admin_client, pending, dune, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(pending, "cancel"), {"reason": "  "})

    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert _status(pending) == OrderStatus.PENDING and _stock(dune) == 3 and not mailoutbox


def test_cancel_refused_by_the_service_changes_nothing(
    admin_client, paid, dune, mailoutbox, django_capture_on_commit_callbacks
):
    order_ship(order_id=paid.pk, carrier="ups", tracking_number="1Z1")
    mailoutbox.clear()

    _response, shown = _post(
        admin_client, _url(paid, "cancel"), {"reason": "Too late."}, django_capture_on_commit_callbacks
    )

    assert shown == [("error", "Nothing was changed. An order that is shipped cannot become cancelled.")]
    assert _status(paid) == OrderStatus.SHIPPED and _stock(dune) == 3
    assert not Refund.objects.exists() and not mailoutbox


# --- Refund ----------------------------------------------------------------------------------------


def _refund_form(dune, **fields) -> dict:
    return {f"quantity_{dune.pk}": "1", "restock": "on", "reason": "Arrived damaged.", **fields}


def test_refund_previews_the_amount_then_refunds_and_restocks(
    admin_client, admin_user, paid, dune, stripe_down, mailoutbox, django_capture_on_commit_callbacks
):
    form = admin_client.get(_url(paid, "refund")).content.decode()
    assert "“Dune”: quantity to refund" in form and "2 of 2 not refunded yet." in form

    with django_capture_on_commit_callbacks(execute=True):
        preview = admin_client.post(_url(paid, "refund"), _refund_form(dune))
    page = preview.content.decode()
    assert preview.status_code == 200 and "Confirm: refund $12.50" in page
    assert "The copies go back to stock" in page and 'name="confirm" value="yes"' in page
    assert not Refund.objects.exists() and _stock(dune) == 3 and not mailoutbox  # nothing yet

    _response, shown = _post(
        admin_client,
        _url(paid, "refund"),
        _refund_form(dune, confirm="yes"),
        django_capture_on_commit_callbacks,
    )

    assert shown == [("success", f"Refunded $12.50 of order {paid.pk}; the customer was emailed.")]
    refund = Refund.objects.get()
    assert (refund.amount, refund.restock, refund.actor, refund.reason) == (
        Decimal("12.50"),
        True,
        admin_user,
        "Arrived damaged.",
    )
    assert _stock(dune) == 4
    movement = StockMovement.objects.filter(book=dune).latest("id")
    assert (movement.delta, movement.reason, movement.actor) == (1, StockMovement.Reason.RETURN, admin_user)
    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refunded_total) == (OrderStatus.PAID, Decimal("12.50"))
    (message,) = mailoutbox
    assert "12.50" in message.body


def test_refunding_more_than_is_left_is_refused_and_changes_nothing(
    admin_client, paid, dune, stripe_down, mailoutbox, django_capture_on_commit_callbacks
):
    for data in (
        _refund_form(dune, **{f"quantity_{dune.pk}": "3"}),
        _refund_form(dune, confirm="yes", **{f"quantity_{dune.pk}": "3"}),
    ):
        response, shown = _post(admin_client, _url(paid, "refund"), data, django_capture_on_commit_callbacks)

        assert response.redirect_chain == [(_change(paid), 302)]
        assert shown == [
            (
                "error",
                "Nothing was changed. This refund is more than was paid and not yet refunded: "
                "only 2 of “Dune” can still be refunded.",
            )
        ]
    assert not Refund.objects.exists() and _stock(dune) == 3 and not mailoutbox
    assert Order.objects.get(pk=paid.pk).refunded_total == 0


def test_a_refund_of_nothing_stays_on_the_form(admin_client, paid, dune, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(paid, "refund"), _refund_form(dune, **{f"quantity_{dune.pk}": "0"}))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Name at least one book of the order, or refund the shipping."
    ]
    assert not Refund.objects.exists()


def test_a_refund_of_an_order_cancelled_meanwhile_is_refused(
    admin_client, pending, dune, mailoutbox, django_capture_on_commit_callbacks
):
    order_status_set(order_id=pending.pk, to_status=OrderStatus.CANCELLED, by_staff=True)
    mailoutbox.clear()

    _response, shown = _post(
        admin_client,
        _url(pending, "refund"),
        _refund_form(dune, confirm="yes"),
        django_capture_on_commit_callbacks,
    )

    assert shown == [
        (
            "error",
            f"Nothing was changed. Order {pending.pk} is cancelled: only a paid, shipped or delivered order "
            "can be refunded.",
        )
    ]
    assert not Refund.objects.exists() and _stock(dune) == 5 and not mailoutbox


# --- Return requests -------------------------------------------------------------------------------


@pytest.fixture
def asked(paid, dune):
    """Order delivered, and the customer asks to return one Dune."""
    order_ship(order_id=paid.pk, carrier="ups", tracking_number="1Z1")
    order_deliver(order_id=paid.pk)
    request = ReturnRequest.objects.create(order=paid, reason="Two copies by mistake.")
    ReturnLine.objects.create(return_request=request, order_item=paid.items.get(), quantity=1)
    return request


def test_approving_a_return_opens_the_refund_prefilled_and_refunding_answers_it(
    admin_client, asked, dune, stripe_down, mailoutbox, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:orders_returnrequest_changelist")
    assert admin_client.get(changelist, {"status__exact": "requested"}).context["cl"].result_count == 1
    page = admin_client.get(reverse("admin:orders_returnrequest_change", args=[asked.pk]))
    assert [button["label"] for button in page.context["answer_buttons"]] == [
        "Approve: refund the return…",
        "Reject…",
    ]
    assert f'<form method="get" action="{_url(asked.order, "refund")}">' in page.content.decode()
    refund_url = f"{_url(asked.order, 'refund')}?return={asked.pk}"

    approved = admin_client.post(changelist, {"action": "refund_return", "_selected_action": [asked.pk]})
    assert approved.status_code == 302 and approved.url == refund_url
    form = admin_client.get(refund_url).context["form"]
    assert (form[f"quantity_{dune.pk}"].value(), form["restock"].value(), form["return_id"].value()) == (
        1,
        True,
        asked.pk,
    )
    mailoutbox.clear()

    data = {**_refund_form(dune), "return_id": str(asked.pk), "confirm": "yes"}
    _response, shown = _post(
        admin_client, _url(asked.order, "refund"), data, django_capture_on_commit_callbacks
    )

    assert shown[0][0] == "success"
    assert ReturnRequest.objects.get(pk=asked.pk).status == ReturnStatus.REFUNDED
    assert Refund.objects.get().return_request_id == asked.pk
    assert len(mailoutbox) == 1
    answered = admin_client.get(reverse("admin:orders_returnrequest_change", args=[asked.pk]))
    assert answered.context["answer_buttons"] == []


def test_rejecting_a_return_from_its_page_and_the_refusal_once_answered(
    admin_client, admin_user, asked, mailoutbox, django_capture_on_commit_callbacks
):
    reject = reverse("admin:orders_returnrequest_reject", args=[asked.pk])
    assert "The customer is emailed the reason." in admin_client.get(reject).content.decode()
    mailoutbox.clear()

    _response, shown = _post(
        admin_client, reject, {"reason": "Opened and read."}, django_capture_on_commit_callbacks
    )

    assert shown == [("success", f"Return request {asked.pk} rejected; the customer was emailed.")]
    answered = ReturnRequest.objects.get(pk=asked.pk)
    assert (answered.status, answered.answer, answered.answered_by) == (
        ReturnStatus.REJECTED,
        "Opened and read.",
        admin_user,
    )
    assert len(mailoutbox) == 1
    mailoutbox.clear()

    _response, shown = _post(admin_client, reject, {"reason": "Again."}, django_capture_on_commit_callbacks)

    assert shown == [
        ("error", f"Nothing was changed. Return request {asked.pk} was already answered (rejected).")
    ]
    assert ReturnRequest.objects.get(pk=asked.pk).answer == "Opened and read." and not mailoutbox


def test_approving_several_returns_at_once_is_refused(
    admin_client, asked, django_capture_on_commit_callbacks
):
    other = ReturnRequest.objects.create(order=asked.order, reason="And this one.")

    _response, shown = _post(
        admin_client,
        reverse("admin:orders_returnrequest_changelist"),
        {"action": "refund_return", "_selected_action": [asked.pk, other.pk]},
        django_capture_on_commit_callbacks,
    )

    assert shown == [("error", "Select one open return request to refund: each is its own refund.")]
    assert not Refund.objects.exists()


@pytest.mark.parametrize("action", ["ship", "deliver", "cancel", "refund"])
def test_an_order_that_does_not_exist_is_404_however_big_its_number(admin_client, action):
    for order_id in (987654, 10**30):
        response = admin_client.get(f"/admin/orders/order/{order_id}/{action}/")

        assert response.status_code == 404
    assert admin_client.get(f"/admin/orders/order/{10**30}/change/").status_code == 302  # "does not exist"
    assert (
        admin_client.get(f"/admin/orders/returnrequest/{10**30}/change/").status_code == 302
    )  # "does not exist"
    assert admin_client.get(f"/admin/orders/returnrequest/{10**30}/reject/").status_code == 404
