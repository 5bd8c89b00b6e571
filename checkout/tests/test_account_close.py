"""Closing one's account: DELETE /api/users/me/ {password} and the page (checkout.services.account_close).

Pending orders are cancelled (stock back), cart, wishlist, preferences and waiting pre-bookings go, the
account is anonymised and every login ends; paid orders, every order and every review stay."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from accounts.address_book import address_create
from accounts.factories import ADDRESS, DEFAULT_PASSWORD, UserFactory
from accounts.models import Address, LoginSession
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory, GenreFactory
from catalog.models import PreBooking, ShopperPreferences, WishlistItem
from catalog.services import prebooking_create, preferences_update, wishlist_add
from checkout.services import order_status_set
from orders.models import Order, OrderStatus
from reviews.models import Review
from reviews.services import review_create

from .helpers import place_order

User = get_user_model()
URL = "/api/users/me/"

pytestmark = pytest.mark.django_db


def _login(email, password=DEFAULT_PASSWORD):
    return APIClient().post("/api/auth/login/", {"email": email, "password": password}, format="json")


def _bearer(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def shopper_with_everything(user):
    """A customer with a pending and a paid order, a review, a cart line, a wishlist entry, a waiting
    pre-booking, preferences and a saved address."""
    pending = place_order(user, quantity=2, stock=5)
    paid = place_order(user)
    order_status_set(order_id=paid.pk, to_status=OrderStatus.PAID)
    review = review_create(user=user, book_id=paid.items.get().book_id, rating=5, text="Loved it.")
    cart_add_book(user=user, book_id=BookFactory(stock=3).pk, quantity=1)
    wishlist_add(user=user, book_id=BookFactory().pk)
    prebooking = prebooking_create(user=user, book_id=BookFactory(stock=0).pk)
    GenreFactory(slug="crime")
    preferences_update(user=user, marketing_emails=True, favourite_genres=["crime"])
    address_create(user=user, **ADDRESS)
    return {"pending": pending, "paid": paid, "review": review, "prebooking": prebooking}


def test_closing_the_account_keeps_the_records_and_forgets_the_person(user, shopper_with_everything):
    pair = _login(user.email).json()
    browser = Client()
    browser.force_login(user)
    pending_book = shopper_with_everything["pending"].items.get().book

    response = _bearer(pair["access"]).delete(URL, {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 204, response.content
    closed = User.objects.get(pk=user.pk)
    assert re.fullmatch(rf"closed-{user.pk}-[0-9a-f]{{12}}@closed\.invalid", closed.email)
    assert closed.username == closed.email.split("@")[0]
    assert (closed.first_name, closed.last_name) == ("", "")
    assert not closed.is_active and not closed.has_usable_password()
    pending = Order.objects.get(pk=shopper_with_everything["pending"].pk)
    assert pending.status == OrderStatus.CANCELLED
    pending_book.refresh_from_db()
    assert pending_book.stock == 5
    assert Order.objects.get(pk=shopper_with_everything["paid"].pk).status == OrderStatus.PAID
    assert Review.objects.filter(pk=shopper_with_everything["review"].pk, user=closed).exists()
    assert not CartItem.objects.filter(cart__user=closed).exists()
    assert not WishlistItem.objects.filter(user=closed).exists()
    assert not ShopperPreferences.objects.filter(user=closed).exists()
    assert not Address.objects.filter(user=closed).exists()
    assert Order.objects.get(pk=shopper_with_everything["paid"].pk).shipping_address["line1"]  # its own copy
    assert PreBooking.objects.get(pk=shopper_with_everything["prebooking"].pk).status == "cancelled"
    assert not LoginSession.objects.filter(user=closed).exists()
    assert _bearer(pair["access"]).get(URL).status_code == 401
    assert (
        APIClient().post("/api/auth/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 401
    )
    assert _login(user.email).status_code == 401
    assert browser.get("/accounts/profile/").status_code == 302


def test_a_name_or_address_someone_registered_first_does_not_stop_the_closing(user):
    UserFactory(username=f"closed-{user.pk}", email=f"closed-{user.pk}@closed.invalid")
    client = _bearer(_login(user.email).json()["access"])

    assert client.delete(URL, {"password": DEFAULT_PASSWORD}, format="json").status_code == 204
    user.refresh_from_db()
    assert not user.is_active


def test_a_wrong_password_is_a_400_and_closes_nothing(user, shopper_with_everything):
    client = _bearer(_login(user.email).json()["access"])

    response = client.delete(URL, {"password": "not-my-password-3"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()
    user.refresh_from_db()
    assert user.is_active and user.email.endswith("@example.com")
    assert Order.objects.get(pk=shopper_with_everything["pending"].pk).status == OrderStatus.PENDING
    assert WishlistItem.objects.filter(user=user).exists()
    assert client.get(URL).status_code == 200


def test_wrong_passwords_are_throttled(user, settings):
    client = _bearer(_login(user.email).json()["access"])
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.delete(URL, {"password": "guess"}, format="json").status_code == 400

    response = client.delete(URL, {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.is_active


def test_a_staff_account_cannot_close_itself(staff, staff_client):
    response = staff_client.delete(URL, {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    staff.refresh_from_db()
    assert staff.is_active


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password": ["x"]}])
def test_malformed_input_is_a_400(user, user_client, body):
    assert user_client.delete(URL, body, format="json").status_code == 400
    user.refresh_from_db()
    assert user.is_active


def test_closing_needs_a_login(user):
    assert APIClient().delete(URL, {"password": DEFAULT_PASSWORD}, format="json").status_code == 401
    user.refresh_from_db()
    assert user.is_active


def test_me_counts_the_callers_cancelled_orders(user, user_client):
    place_order(user)
    cancelled = place_order(user)
    order_status_set(order_id=cancelled.pk, to_status=OrderStatus.CANCELLED, actor=user)
    place_order(UserFactory())

    assert user_client.get(URL).json()["orders_cancelled"] == 1


# --- the page ----------------------------------------------------------------------------------------


@pytest.fixture
def browser(user):
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_page_explains_what_closing_does(browser, user):
    place_order(user)

    response = browser.get("/accounts/close/")

    assert response.status_code == 200
    assert b"you have 1" in response.content


def test_the_page_needs_the_password_and_the_tick(browser, user):
    unticked = browser.post("/accounts/close/", {"password": DEFAULT_PASSWORD})
    wrong = browser.post("/accounts/close/", {"password": "guess", "confirm": "on"})

    assert b"Tick the box" in unticked.content
    assert b"The current password is not correct." in wrong.content
    user.refresh_from_db()
    assert user.is_active


def test_the_page_closes_the_account_and_logs_the_browser_out(browser, user):
    order = place_order(user)

    response = browser.post("/accounts/close/", {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True)

    assert b"Your account is closed." in response.content
    assert response.context["user"].is_authenticated is False
    user.refresh_from_db()
    assert not user.is_active
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
