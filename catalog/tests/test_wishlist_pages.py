"""The wishlist through Django's test client: the book page's add/remove toggle and the /wishlist/ page,
both calling `catalog.services`; refusals are messages and change nothing; bad input never 500s."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog import services
from catalog.factories import BookFactory
from catalog.models import Book, WishlistItem

from .pages import book_url, csrf_client, login_url, message_texts

pytestmark = pytest.mark.django_db

WISHLIST = reverse("catalog:wishlist")


def add_url(book_or_id) -> str:
    return reverse("catalog:wishlist_add", args=[getattr(book_or_id, "pk", book_or_id)])


def remove_url(book_or_id) -> str:
    return reverse("catalog:wishlist_remove", args=[getattr(book_or_id, "pk", book_or_id)])


def wished(user) -> list[int]:
    return list(WishlistItem.objects.filter(user=user).values_list("book_id", flat=True))


# ---- the toggle on the book page ------------------------------------------------------------------


def test_book_page_offers_add_then_remove(client, user):
    book = BookFactory()
    client.force_login(user)

    before = client.get(book_url(book)).content.decode()
    services.wishlist_add(user=user, book_id=book.pk)
    after = client.get(book_url(book)).content.decode()

    assert f'action="{add_url(book)}"' in before and "Add to wishlist" in before
    assert "Remove from wishlist" not in before
    assert f'action="{remove_url(book)}"' in after and "Remove from wishlist" in after
    assert "Add to wishlist" not in after


def test_book_page_asks_anonymous_shoppers_to_log_in_first(client):
    book = BookFactory()

    html = client.get(book_url(book)).content.decode()

    assert f'action="{add_url(book)}"' not in html
    assert f'href="{login_url(book_url(book))}">Log in</a> to keep it on your wishlist.' in html


def test_add_puts_the_book_on_the_wishlist(client, user):
    book = BookFactory(title="Dune")
    client.force_login(user)

    response = client.post(add_url(book))

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == [
        f'Added “Dune” to your wishlist. <a href="{WISHLIST}">View your wishlist</a>'
    ]
    assert wished(user) == [book.pk]


def test_adding_twice_says_so_and_keeps_one_row(client, user):
    book = BookFactory()
    client.force_login(user)
    client.post(add_url(book), follow=True)

    response = client.post(add_url(book))

    assert response.status_code == 302
    assert message_texts(response) == ["This book is already on your wishlist."]
    assert WishlistItem.objects.filter(user=user, book=book).count() == 1


@pytest.mark.parametrize("which", ["removed", "unknown", "huge"])
def test_adding_a_book_not_in_the_catalog_says_so_and_adds_nothing(client, user, which):
    removed = BookFactory(is_active=False)
    book_id = {"removed": removed.pk, "unknown": 999_999, "huge": 10**30}[which]
    client.force_login(user)

    response = client.post(add_url(book_id))

    assert response.status_code == 302
    assert response.url == reverse("catalog:home")
    assert message_texts(response) == ["No such book in the catalog."]
    assert not WishlistItem.objects.exists()


def test_remove_takes_the_book_off_and_again_says_it_is_not_there(client, user):
    book, other = BookFactory(), BookFactory()
    services.wishlist_add(user=user, book_id=book.pk)
    services.wishlist_add(user=user, book_id=other.pk)
    client.force_login(user)

    response = client.post(remove_url(book))

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == ["The book was removed from your wishlist."]
    client.get(response.url)  # shows, and so clears, the message
    again = client.post(remove_url(book))
    assert message_texts(again) == ["This book is not on your wishlist."]
    assert wished(user) == [other.pk]


def test_removing_only_touches_your_own_wishlist(client, user):
    book = BookFactory()
    someone = UserFactory()
    services.wishlist_add(user=someone, book_id=book.pk)
    client.force_login(user)

    response = client.post(remove_url(book))

    assert message_texts(response) == ["This book is not on your wishlist."]
    assert wished(someone) == [book.pk]


@pytest.mark.parametrize("url", [add_url, remove_url])
def test_anonymous_shoppers_are_sent_to_log_in_and_back_to_the_book(client, url):
    book = BookFactory()

    response = client.post(url(book))

    assert response.status_code == 302
    assert response.url == login_url(book_url(book))
    assert not WishlistItem.objects.exists()


@pytest.mark.parametrize("url", [add_url, remove_url])
def test_the_toggle_needs_post(client, user, url):
    book = BookFactory()
    client.force_login(user)

    assert client.get(url(book)).status_code == 405
    assert not WishlistItem.objects.exists()


def test_add_and_remove_enforce_csrf(user):
    book = BookFactory()
    client, token = csrf_client(user=user, book=book)

    assert client.post(add_url(book)).status_code == 403
    assert wished(user) == []
    assert client.post(add_url(book), {"csrfmiddlewaretoken": token}).status_code == 302
    assert wished(user) == [book.pk]

    assert client.post(remove_url(book)).status_code == 403
    assert wished(user) == [book.pk]
    assert client.post(remove_url(book), {"csrfmiddlewaretoken": token}).status_code == 302
    assert wished(user) == []


# ---- the wishlist page ----------------------------------------------------------------------------


def test_wishlist_page_needs_login(client):
    response = client.get(WISHLIST)

    assert response.status_code == 302
    assert response.url == login_url(WISHLIST)


def test_wishlist_page_lists_your_books_newest_first(client, user):
    dune = BookFactory(title="Dune", author="Frank Herbert", price=Decimal("12.50"), stock=8)
    emma = BookFactory(title="Emma", stock=0)
    gone = BookFactory(title="Withdrawn")
    for book in (dune, gone, emma):
        services.wishlist_add(user=user, book_id=book.pk)
    Book.objects.filter(pk=gone.pk).update(is_active=False)
    services.wishlist_add(user=UserFactory(), book_id=BookFactory(title="Someone else's").pk)
    client.force_login(user)

    response = client.get(WISHLIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert [item.book.title for item in response.context["items"]] == ["Emma", "Dune"]
    assert "Withdrawn" not in html and "Someone else" not in html
    assert f'href="{book_url(dune)}">Dune</a>' in html
    for text in ["Frank Herbert", "$12.50", "In stock", "Out of stock"]:
        assert text in html
    assert html.count(f'action="{reverse("cart:add")}"') == 1  # only the title in stock
    assert f'name="book_id" value="{dune.pk}"' in html
    assert f'name="book_id" value="{emma.pk}"' not in html
    assert f'action="{remove_url(dune)}"' in html and f'action="{remove_url(emma)}"' in html
    assert html.count(f'name="next" value="{WISHLIST}"') == 4  # add to cart, notify me, two removes
    assert f'href="{WISHLIST}" aria-current="page">Wishlist</a>' in html


def test_wishlist_page_empty_state(client, user):
    client.force_login(user)

    response = client.get(WISHLIST)

    assert response.status_code == 200
    assert b"Your wishlist is empty" in response.content


def test_wishlist_page_paginates(client, user):
    for book in BookFactory.create_batch(23):
        services.wishlist_add(user=user, book_id=book.pk)
    client.force_login(user)

    assert len(client.get(WISHLIST).context["items"]) == 20
    assert len(client.get(WISHLIST, {"page": "2"}).context["items"]) == 3
    assert client.get(WISHLIST, {"page": "nope"}).status_code == 200


def test_wishlist_link_in_the_header_only_for_logged_in_shoppers(client, user):
    anonymous = client.get(reverse("catalog:home")).content.decode()
    client.force_login(user)
    logged_in = client.get(reverse("catalog:home")).content.decode()

    assert f'href="{WISHLIST}"' not in anonymous
    assert f'href="{WISHLIST}">Wishlist</a>' in logged_in
