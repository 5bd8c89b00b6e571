"""The shopper catalog pages through Django's test client: list, filters, sorting, pagination, detail."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book

pytestmark = pytest.mark.django_db

HOME = reverse("catalog:home")


def titles(response) -> list[str]:
    return [book.title for book in response.context["books"]]


def test_home_lists_active_books_newest_first(client):
    older = BookFactory(title="Older")
    newer = BookFactory(title="Newer")
    BookFactory(title="Withdrawn", is_active=False)

    response = client.get(HOME)

    assert response.status_code == 200
    assert titles(response) == [newer.title, older.title]
    assert b"Withdrawn" not in response.content
    assert f'href="{reverse("catalog:book_detail", args=[newer.pk])}"'.encode() in response.content


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_home_search_narrows_by_title_author_and_isbn(client):
    dune = BookFactory(title="Dune", author="Frank Herbert")
    BookFactory(title="Emma", author="Jane Austen")

    assert titles(client.get(HOME, {"search": "dune"})) == ["Dune"]
    assert titles(client.get(HOME, {"search": "herbert"})) == ["Dune"]
    assert titles(client.get(HOME, {"search": dune.isbn})) == ["Dune"]
    assert titles(client.get(HOME, {"search": "nothing-like-this"})) == []


def test_home_genre_filter_includes_sub_genres_and_nav_nests_them(client):
    fiction = GenreFactory(name="Fiction", slug="fiction")
    fantasy = GenreFactory(name="Fantasy", slug="fantasy", parent=fiction)
    history = GenreFactory(name="History", slug="history")
    BookFactory(title="Earthsea", genre=fantasy)
    BookFactory(title="Middlemarch", genre=fiction)
    BookFactory(title="SPQR", genre=history)

    response = client.get(HOME, {"genre": "fiction"})

    assert sorted(titles(response)) == ["Earthsea", "Middlemarch"]
    [node] = [node for node in response.context["genres"] if node.genre == fiction]
    assert [child.genre for child in node.children] == [fantasy]
    html = response.content.decode()
    assert html.index(">Fiction</a>") < html.index(">Fantasy</a>") < html.index(">History</a>")
    assert titles(client.get(HOME, {"genre": "no-such-genre"})) == []


def test_home_price_range_and_in_stock_filters(client):
    BookFactory(title="Cheap", price=Decimal("5.00"), stock=3)
    BookFactory(title="Middle", price=Decimal("15.00"), stock=0)
    BookFactory(title="Dear", price=Decimal("50.00"), stock=1)

    assert sorted(titles(client.get(HOME, {"min_price": "10", "max_price": "20"}))) == ["Middle"]
    assert sorted(titles(client.get(HOME, {"in_stock": "true"}))) == ["Cheap", "Dear"]
    assert sorted(titles(client.get(HOME, {"max_price": "20", "in_stock": "true"}))) == ["Cheap"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["B", "C", "A"]),
        ("-price", ["A", "C", "B"]),
        ("title", ["A", "B", "C"]),
        ("-avg_rating", ["C", "A", "B"]),
        ("-created_at", ["C", "B", "A"]),
    ],
)
def test_home_sorts(client, ordering, expected):
    BookFactory(title="A", price=Decimal("30.00"), avg_rating=Decimal("3.00"), review_count=1)
    BookFactory(title="B", price=Decimal("10.00"))
    BookFactory(title="C", price=Decimal("20.00"), avg_rating=Decimal("4.50"), review_count=2)

    response = client.get(HOME, {"ordering": ordering})

    assert titles(response) == expected
    assert f'<option value="{ordering}" selected>'.encode() in response.content


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_home_paginates_twenty_a_page_and_keeps_filters_in_page_links(client):
    BookFactory.create_batch(45, title="Saga volume", price=Decimal("12.00"))
    BookFactory(title="Unrelated")
    query = {"search": "saga", "ordering": "title", "max_price": "20"}

    first = client.get(HOME, query)
    third = client.get(HOME, {**query, "page": "3"})

    assert len(first.context["books"]) == 20
    assert first.context["page_obj"].paginator.count == 45
    assert len(third.context["books"]) == 5
    assert set(titles(first)) == {"Saga volume"}
    html = first.content.decode()
    assert 'href="?search=saga&amp;ordering=title&amp;max_price=20&amp;page=2"' in html
    assert "page 1 of 3" in html


@pytest.mark.parametrize(
    "query",
    [
        {"min_price": "cheap"},
        {"max_price": "1e999"},
        {"min_price": "-5"},
        {"ordering": "password"},
        {"search": "x" * 201},
        {"search": "nul\x00byte"},
    ],
)
def test_home_invalid_filter_shows_message_and_all_books(client, query):
    BookFactory(title="Still listed", price=Decimal("9.00"))
    BookFactory(title="Also listed", price=Decimal("19.00"))

    response = client.get(HOME, query)

    assert response.status_code == 200
    assert sorted(titles(response)) == ["Also listed", "Still listed"]
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error"
    assert "Some filters could not be applied" in message.message
    assert b"Some filters could not be applied" in response.content


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999999"])
def test_home_odd_page_numbers_show_a_real_page(client, page):
    BookFactory.create_batch(25)

    response = client.get(HOME, {"page": page})

    assert response.status_code == 200
    assert len(response.context["books"]) in (20, 5)


def test_home_empty_state(client):
    response = client.get(HOME, {"search": "nothing"})

    assert response.status_code == 200
    assert b"No books match" in response.content


@pytest.mark.parametrize(
    ("stock", "label"), [(0, "Out of stock"), (1, "Only 1 left"), (5, "Only 5 left"), (6, "In stock")]
)
def test_book_page_shows_stock_state(client, stock, label):
    book = BookFactory(stock=stock)

    response = client.get(reverse("catalog:book_detail", args=[book.pk]))

    assert response.status_code == 200
    assert label.encode() in response.content


def test_book_page_shows_the_book(client):
    fiction = GenreFactory(name="Fiction", slug="fiction")
    genre = GenreFactory(name="Fantasy", slug="fantasy", parent=fiction)
    book = BookFactory(
        title="A Wizard of Earthsea",
        author="Ursula K. Le Guin",
        description="Ged learns the true names of things.",
        price=Decimal("12.50"),
        genre=genre,
        avg_rating=Decimal("4.50"),
        review_count=2,
    )

    response = client.get(reverse("catalog:book_detail", args=[book.pk]))

    html = response.content.decode()
    for text in [
        "A Wizard of Earthsea",
        "Ursula K. Le Guin",
        book.isbn,
        "Ged learns",
        "$12.50",
        "(2 reviews)",
    ]:
        assert text in html
    assert "Rated</span> 4.5" in html
    assert f'aria-label="No cover image for {book.title}"' in html
    assert response.context["genre_path"] == [fiction, genre]


@pytest.mark.parametrize("logged_in", [True, False])
def test_book_page_offers_add_to_cart_to_every_shopper(client, user, logged_in):
    """Anonymous shoppers fill a session cart that joins their account cart at login."""
    in_stock, sold_out = BookFactory(stock=4), BookFactory(stock=0)
    if logged_in:
        client.force_login(user)

    html = client.get(reverse("catalog:book_detail", args=[in_stock.pk])).content.decode()
    sold_out_html = client.get(reverse("catalog:book_detail", args=[sold_out.pk])).content.decode()

    assert f'action="{reverse("cart:add")}"' in html
    assert f'name="book_id" value="{in_stock.pk}"' in html
    assert 'max="4"' in html
    assert "Add to cart" in html
    assert "Add to cart" not in sold_out_html
    assert 'name="quantity"' not in sold_out_html


@pytest.mark.parametrize("path", ["/books/999999/", "/books/99999999999999999999999999/", "/books/abc/"])
def test_unknown_book_is_the_404_page(client, path):
    BookFactory()

    response = client.get(path)

    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_removed_book_is_the_404_page(client):
    book = BookFactory(is_active=False)

    response = client.get(reverse("catalog:book_detail", args=[book.pk]))

    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    assert Book.objects.filter(pk=book.pk).exists()


def test_book_page_answers_get_and_head_only(client):
    book = BookFactory()
    url = reverse("catalog:book_detail", args=[book.pk])

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
@pytest.mark.parametrize("ordering", ["", "title"])
def test_the_sort_menu_names_the_order_a_search_is_in(client, ordering):
    """A search ranked by relevance (FULLTEXT) offers "Relevance" first, selected unless another order was
    asked for; an unranked word search (SQLite) is newest first and says so."""
    BookFactory(title="Lighthouse keeping")
    ranked = connection.vendor == "mysql"

    response = client.get(HOME, {"search": "lighthouse", "ordering": ordering})

    assert titles(response) == ["Lighthouse keeping"]
    offered = [value for value, _ in response.context["sort_choices"]]
    assert (offered[0] == "") is ranked
    expected_selected = ordering or ("" if ranked else "-created_at")
    assert f'<option value="{expected_selected}" selected>'.encode() in response.content
    assert response.content.count(b" selected>") == 1
