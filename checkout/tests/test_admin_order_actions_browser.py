"""Staff run orders from the back office in a real Chromium: the dashboard with its chart and low-stock
list, then a paid order (paid through localstripe) shipped with a carrier and tracking number, delivered
and partly refunded with restock, each through its button and confirm page; a second order cancelled
with a reason; a stock change with its reason in the ledger. axe-core finds no critical or serious
violation on any page on the way. And a customer's return request approved into its prefilled refund,
another rejected with a reason."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import order_placed
from checkout.services import payment_intent_for_order, stripe_webhook_receive
from orders.models import Order, OrderStatus, ReturnRequest, ReturnStatus
from orders.returns import return_request_create
from orders.services import order_deliver, order_ship
from payments.models import Refund
from payments.tests.helpers import event_body, sign
from tests_browser import screenshot
from tests_browser.axe import axe_blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.stripe]


@pytest.fixture
def keeper(page, browser_login):
    user = UserFactory(username="keeper", email="keeper@bookstore.local", is_staff=True, is_superuser=True)
    browser_login(user)
    return user


def paid_through_stripe(order, stripe_api) -> Order:
    """Paid as a customer pays: the shop's intent, the card at localstripe, the signed webhook."""
    payment, _created = payment_intent_for_order(order_id=order.pk)
    assert stripe_api.pay(payment.payment_intent_id)["status"] == "succeeded"
    body = event_body("payment_intent.succeeded", stripe_api.intent(payment.payment_intent_id))
    assert stripe_webhook_receive(payload=body, signature=sign(body)) == "order paid"
    return Order.objects.get(pk=order.pk)


def assert_accessible(page) -> None:
    assert axe_blocking_violations(page, always_blocking=()) == [], page.url


def confirm(page, button: str) -> None:
    """On a confirm page: it is accessible, then its button."""
    expect(page.get_by_role("heading", name="What will happen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=button).click()


def test_staff_ship_deliver_refund_and_cancel_orders_from_their_pages(page, keeper, stripe_api):
    salt = BookFactory(title="The Salt Road", price=Decimal("12.50"), stock=6)
    reader = UserFactory(email="reader@example.com")
    first = paid_through_stripe(order_placed(user=reader, lines=[(salt, 2)]), stripe_api)
    second = paid_through_stripe(
        order_placed(user=reader, lines=[(BookFactory(title="Odes", stock=9), 1)]), stripe_api
    )

    # The dashboard: the chart and The Salt Road, down to 4 copies, among the books running low.
    page.goto("/admin/")
    expect(page.get_by_role("img", name="Revenue per day")).to_be_visible()
    expect(page.locator("#low-stock").get_by_role("link", name="The Salt Road")).to_be_visible()
    expect(page.get_by_role("link", name="Return requests to answer")).to_be_visible()
    screenshot(page, "admin-dashboard-orders")
    assert_accessible(page)

    # The first order: its page, with the buttons its status allows.
    page.goto("/admin/orders/order/")
    page.get_by_role("link", name=str(first.pk), exact=True).click()
    actions = page.get_by_role("navigation", name="Order actions")
    expect(actions.get_by_role("button")).to_have_text(["Ship…", "Cancel order…", "Refund…"])
    expect(page.locator(".bo-timeline")).to_contain_text("Paid")
    expect(page.locator(".field-customer")).to_contain_text("reader@example.com")
    screenshot(page, "admin-order-paid")
    assert_accessible(page)

    # Ship, with the carrier and tracking number.
    actions.get_by_role("button", name="Ship…").click()
    page.get_by_label("Carrier").fill("UPS")
    page.get_by_label("Tracking number").fill("1z999aa10123456784")
    screenshot(page, "admin-order-ship-confirm")
    confirm(page, "Confirm: ship")
    expect(page.locator(".messagelist")).to_contain_text(f"Order {first.pk} shipped")
    expect(page.locator(".bo-timeline")).to_contain_text("Shipped")
    expect(page.get_by_text("https://www.ups.com/track?tracknum=1Z999AA10123456784")).to_be_visible()
    expect(actions.get_by_role("button")).to_have_text(["Mark delivered…", "Refund…"])
    assert_accessible(page)

    # Deliver.
    actions.get_by_role("button", name="Mark delivered…").click()
    confirm(page, "Confirm: mark delivered")
    expect(page.locator(".messagelist")).to_contain_text(f"Order {first.pk} delivered")
    expect(actions.get_by_role("button")).to_have_text(["Refund…"])

    # Refund one copy, back in stock: the form, the amounts, then the refund.
    actions.get_by_role("button", name="Refund…").click()
    # axe runs on the refund form once it is there, not on a page still navigating away.
    quantity = page.get_by_label("“The Salt Road”: quantity to refund")
    expect(quantity).to_be_visible()
    assert_accessible(page)
    quantity.fill("1")
    page.get_by_label("Restock: put the refunded copies back in stock").check()
    page.get_by_label("Reason").fill("One copy arrived damaged.")
    page.get_by_role("button", name="Review the refund").click()
    expect(page.locator("tfoot")).to_contain_text("$12.50")
    screenshot(page, "admin-order-refund-confirm")
    confirm(page, "Confirm: refund $12.50")
    expect(page.locator(".messagelist")).to_contain_text(f"Refunded $12.50 of order {first.pk}")
    screenshot(page, "admin-order-actions")
    assert_accessible(page)
    refund = Refund.objects.get(order=first)
    assert (refund.amount, refund.restock, refund.actor) == (Decimal("12.50"), True, keeper)
    assert Book.objects.get(pk=salt.pk).stock == 5
    assert Order.objects.get(pk=first.pk).status == OrderStatus.DELIVERED

    # The second order: cancelled with the reason the customer reads.
    page.goto(f"/admin/orders/order/{second.pk}/change/")
    actions.get_by_role("button", name="Cancel order…").click()
    expect(page.get_by_text("1 × “Odes” go back to stock.")).to_be_visible()
    expect(page.get_by_text("is refunded to the customer's card")).to_be_visible()
    page.get_by_label("Reason").fill("The book is out of print.")
    confirm(page, "Confirm: cancel order")
    expect(page.locator(".messagelist")).to_contain_text(f"Order {second.pk} cancelled")
    expect(page.locator(".bo-timeline")).to_contain_text("The book is out of print.")
    expect(page.get_by_role("navigation", name="Order actions")).to_have_count(0)
    assert Order.objects.get(pk=second.pk).status == OrderStatus.CANCELLED

    # A stock change with its reason, in the ledger beside the refund's return.
    page.goto(f"/admin/catalog/book/{salt.pk}/change/")
    page.get_by_label("Stock:", exact=True).fill("15")
    page.get_by_label("Reason for a stock change").select_option(label="Restock (a delivery arrived)")
    page.get_by_label("Note for the stock ledger").fill("Ten from the printer")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="All stock movements of this book").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Ten from the printer")
    expect(page.locator("#result_list")).to_contain_text(f"Refund of order {first.pk}")
    assert_accessible(page)
    assert [m.reason for m in StockMovement.objects.filter(book=salt).order_by("id")][-2:] == [
        StockMovement.Reason.RETURN,
        StockMovement.Reason.RESTOCK,
    ]


def test_a_return_request_is_approved_into_a_prefilled_refund_or_rejected(page, keeper, stripe_api):
    salt = BookFactory(title="The Salt Road", price=Decimal("12.50"), stock=6)
    order = paid_through_stripe(order_placed(user=UserFactory(), lines=[(salt, 2)]), stripe_api)
    order_ship(order_id=order.pk, carrier="dhl", tracking_number="JD0146")
    order_deliver(order_id=order.pk)
    first = return_request_create(
        order_id=order.pk, lines=[{"book_id": salt.pk, "quantity": 1}], reason="Two by mistake."
    )

    page.goto("/admin/orders/returnrequest/?status__exact=requested")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name=str(first.pk), exact=True).click()
    answer = page.get_by_role("navigation", name="Answer the return request")
    expect(answer.get_by_role("button")).to_have_text(["Approve: refund the return…", "Reject…"])
    assert_accessible(page)

    answer.get_by_role("button", name="Approve: refund the return…").click()
    expect(page.get_by_label("“The Salt Road”: quantity to refund")).to_have_value("1")
    expect(page.get_by_label("Restock: put the refunded copies back in stock")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Review the refund").click()
    expect(page.get_by_text(f"Return request {first.pk} is answered by this refund.")).to_be_visible()
    confirm(page, "Confirm: refund $12.50")
    expect(page.locator(".messagelist")).to_contain_text("Refunded $12.50")
    assert ReturnRequest.objects.get(pk=first.pk).status == ReturnStatus.REFUNDED
    assert Book.objects.get(pk=salt.pk).stock == 5

    second = return_request_create(
        order_id=order.pk, lines=[{"book_id": salt.pk, "quantity": 1}], reason="Changed my mind."
    )
    page.goto(f"/admin/orders/returnrequest/{second.pk}/change/")
    page.get_by_role("button", name="Reject…").click()
    reason = page.get_by_label("Reason")
    expect(reason).to_be_visible()
    assert_accessible(page)
    reason.fill("Opened and read.")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Return request {second.pk} rejected")
    assert ReturnRequest.objects.get(pk=second.pk).status == ReturnStatus.REJECTED
    assert Book.objects.get(pk=salt.pk).stock == 5
