""" "Picked for you": `orders.recommendations`, GET /api/users/me/recommendations/ and the account page."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book
from catalog.services import book_relations_replace, book_sales_set, wishlist_add
from orders.factories import OrderFactory, OrderItemFactory
from orders.models import OrderStatus
from orders.recommendations import Reason, recommendations_for_user

pytestmark = pytest.mark.django_db


def _bought(user, *books, status=OrderStatus.PAID):
    order = OrderFactory(user=user, status=status)
    for book in books:
        OrderItemFactory(order=order, book=book)


@pytest.fixture
def shop():
    mystery = GenreFactory(name="Mystery", slug="mystery")
    cozy = GenreFactory(name="Cozy", slug="cozy", parent=mystery)
    poetry = GenreFactory(name="Poetry", slug="poetry")
    books = {
        "bought": BookFactory(title="Bought", author="Ada", genre=mystery),
        "together": BookFactory(title="Together", author="Zed", genre=poetry),
        "by_ada": BookFactory(title="By Ada", author="Ada", genre=poetry),
        "cozy": BookFactory(title="Cozy One", author="Bea", genre=cozy),
        "verse": BookFactory(title="Verse", author="Cid", genre=poetry),
        "sold_out": BookFactory(title="Sold Out", author="Ada", genre=mystery, stock=0),
        "wished": BookFactory(title="Wished", author="Dee", genre=poetry),
    }
    book_relations_replace(
        relations={books["bought"].pk: [(books["together"].pk, 4), (books["sold_out"].pk, 9)]}
    )
    return books


def _picks(user, **kwargs) -> list[tuple[str, str]]:
    return [(pick.book.title, pick.reason) for pick in recommendations_for_user(user=user, **kwargs)]


def test_strongest_reasons_first_and_never_what_was_bought_wished_for_or_sold_out(user, shop):
    _bought(user, shop["bought"])
    wishlist_add(user=user, book_id=shop["wished"].pk)

    picks = _picks(user)

    assert picks[:2] == [("Together", Reason.BOUGHT_TOGETHER), ("By Ada", Reason.SAME_AUTHOR)]
    assert set(picks[2:4]) == {
        ("Cozy One", Reason.SAME_GENRE),  # under Mystery, the genre bought from
        ("Verse", Reason.SAME_GENRE),  # the wishlist book's genre
    }
    titles = {title for title, _ in picks}
    assert titles.isdisjoint({"Bought", "Wished", "Sold Out"})


def test_favourite_genres_count_before_the_genres_bought_from(user, shop):
    _bought(user, shop["bought"])

    picks = dict(_picks(user, favourite_genre_slugs=["poetry", "no-such-genre"]))

    assert picks["Verse"] == Reason.FAVOURITE_GENRE and picks["Cozy One"] == Reason.SAME_GENRE


def test_unpaid_or_cancelled_orders_are_not_purchases(user, shop):
    _bought(user, shop["bought"], status=OrderStatus.PENDING)
    _bought(user, shop["by_ada"], status=OrderStatus.CANCELLED)

    assert {reason for _, reason in _picks(user)} == {Reason.BESTSELLER}


def test_a_newcomer_gets_the_shops_bestsellers(shop):
    book_sales_set(units={shop["verse"].pk: 7, shop["cozy"].pk: 3})

    picks = _picks(UserFactory(), limit=3)

    assert picks == [("Verse", Reason.BESTSELLER), ("Cozy One", Reason.BESTSELLER), picks[2]]
    assert picks[2][0] != "Sold Out"


def test_cost_is_a_fixed_number_of_queries_whatever_the_history(user, shop, django_assert_max_num_queries):
    for n in range(15):
        _bought(user, BookFactory(author=f"Author {n}", genre=shop["bought"].genre), shop["bought"])
        wishlist_add(user=user, book_id=BookFactory(author=f"Wished {n}").pk)

    # purchases, wishlist, co-purchases, the seeds' authors and genres, by author, two genre trees and
    # their books, bestsellers, the chosen books
    with django_assert_max_num_queries(11):
        picks = recommendations_for_user(user=user, favourite_genre_slugs=["poetry"])

    assert picks


def test_api_pages_the_picks_with_their_reasons(user, user_client, shop):
    _bought(user, shop["bought"])

    response = user_client.get("/api/users/me/recommendations/", {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(recommendations_for_user(user=user)) and body["next"]
    first = body["results"][0]
    assert first["book"]["title"] == "Together" and first["reason"] == "bought_together"
    assert first["reason_label"] == "Often bought with your books"
    assert user_client.get("/api/users/me/recommendations").status_code == 200


def test_api_needs_a_login(api_client):
    response = api_client.get("/api/users/me/recommendations/")

    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_account_page_shows_picked_for_you(client, user, shop):
    _bought(user, shop["bought"])
    client.force_login(user)

    html = client.get(reverse("accounts:profile")).content.decode()

    assert "Picked for you" in html and "Often bought with your books" in html
    assert f'href="{reverse("catalog:book_detail", args=[shop["together"].pk])}"' in html
    assert html.count(f'action="{reverse("cart:add")}"') >= 1  # quick add on the cards


def test_account_page_without_any_book_in_stock_shows_no_picks(client, user):
    Book.objects.all().delete()
    client.force_login(user)

    assert "Picked for you" not in client.get(reverse("accounts:profile")).content.decode()
