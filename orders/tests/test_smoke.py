import pytest
from django.core import mail

from catalog.factories import BookFactory
from catalog.models import StockMovement


@pytest.mark.django_db
def test_checkout_smoke(user_client, staff_client, django_capture_on_commit_callbacks):
    b1, b2 = BookFactory(stock=3), BookFactory(stock=1, price="5.25")
    assert (
        user_client.post("/api/cart/items", {"book_id": b1.id, "quantity": 2}, format="json").status_code
        == 201
    )
    r = user_client.post("/api/cart/items/", {"book_id": b2.id}, format="json")
    assert r.status_code == 201, r.content
    r = user_client.post("/api/cart/items/", {"book_id": b2.id}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "insufficient_stock", r.content
    cart = user_client.get("/api/cart/").json()
    assert cart["total"] == "25.25" and cart["item_count"] == 3, cart
    r = staff_client.post("/api/admin/coupons/", {"code": "ten", "percent_off": "10"}, format="json")
    assert r.status_code == 201, r.content
    with django_capture_on_commit_callbacks(execute=True):
        r = user_client.post(
            "/api/orders/", {"coupon_code": "TEN", "shipping_address": "1 Road"}, format="json"
        )
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["total"] == "22.72" and order["discount"] == "2.53", order
    b1.refresh_from_db()
    assert b1.stock == 1
    assert StockMovement.objects.filter(reason="order").count() == 2
    assert len(mail.outbox) == 1
    assert user_client.post("/api/orders/", {}, format="json").json()["code"] == "cart_empty"
    r = user_client.post(f"/api/orders/{order['id']}/cancel/")
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.content
    b1.refresh_from_db()
    assert b1.stock == 3
    r = staff_client.patch(f"/api/admin/orders/{order['id']}/", {"status": "shipped"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    r = staff_client.get("/api/admin/reports/sales/?from=2020-01-01&to=2030-01-01")
    assert r.status_code == 200, r.content
    r = staff_client.get("/api/admin/reports/low-stock/?threshold=1")
    assert r.status_code == 200, r.content
    r = staff_client.get("/api/admin/orders/?status=bogus")
    assert r.status_code == 400, r.content
