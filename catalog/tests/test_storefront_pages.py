"""The storefront's catalog pages through Django's test client: genre pages, search by genre and with
typos, a blank search, the sort menu without JavaScript, quick add-to-cart on cards, related books."""

import pytest
from django.urls import reverse

from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book
from catalog.services import book_relations_replace, book_sales_set

pytestmark = pytest.mark.django_db

HOME = reverse("catalog:home")


def titles(response) -> list[str]:
    return [book.title for book in response.context["books"]]


@pytest.fixture
def genres():
    fiction = GenreFactory(name="Fiction", slug="fiction")
    crime = GenreFactory(name="Crime", slug="crime", parent=fiction)
    mystery = GenreFactory(name="Mystery", slug="mystery", parent=crime)
    thriller = GenreFactory(name="Thriller", slug="thriller", parent=fiction)
    return {"fiction": fiction, "crime": crime, "mystery": mystery, "thriller": thriller}


def test_genre_page_names_its_genre_in_heading_title_and_breadcrumbs(client, genres):
    BookFactory(title="The Hollow Witness", genre=genres["mystery"])

    response = client.get(HOME, {"genre": "mystery"})

    html = response.content.decode()
    assert "<title>Mystery · Bookstore</title>" in html
    assert '<h1 id="results-heading">\n      Mystery\n    </h1>' in html
    breadcrumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert f'href="{HOME}?genre=fiction">Fiction</a>' in breadcrumbs
    assert f'href="{HOME}?genre=crime">Crime</a>' in breadcrumbs
    assert '<span aria-current="page">Mystery</span>' in breadcrumbs
    assert titles(response) == ["The Hollow Witness"]


def test_catalog_without_genre_keeps_its_own_heading_and_no_breadcrumbs(client, genres):
    html = client.get(HOME).content.decode()

    assert "<title>Catalog · Bookstore</title>" in html and "Our books" in html
    assert 'aria-label="Breadcrumb"' not in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"genre": "crime"},
        {"search": "saga"},
        {"genre": "fiction", "search": "saga", "page": "2"},
    ],
)
@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_a_list_page_shows_what_the_filter_set_shows(client, genres, params):
    """Browsing, a search and a genre skip building the filter set (BookFilter.browsed); any other
    filter given, even an empty one, goes through it: the same books, page and count."""
    for number in range(25):
        genre = genres[("fiction", "crime", "mystery", "thriller")[number % 4]]
        BookFactory(title=f"{'Saga' if number % 2 else 'Tale'} {number}", genre=genre)

    short = client.get(HOME, params)
    through_the_set = client.get(HOME, {**params, "author": ""})

    assert short.status_code == through_the_set.status_code == 200
    assert titles(short) == titles(through_the_set) != []
    assert short.context["page_obj"].paginator.count == through_the_set.context["page_obj"].paginator.count


def test_unknown_genre_is_an_empty_catalog_page(client, genres):
    response = client.get(HOME, {"genre": "no-such-genre"})

    assert response.status_code == 200 and titles(response) == []
    assert "Our books" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_search_finds_books_by_their_genre_or_a_genre_above_it(client, genres):
    BookFactory(title="The Hollow Witness", genre=genres["mystery"])
    BookFactory(title="Night Train", genre=genres["thriller"])
    BookFactory(title="Garden Plans", genre=GenreFactory(name="Gardening", slug="gardening"))

    assert titles(client.get(HOME, {"search": "mystery"})) == ["The Hollow Witness"]
    assert titles(client.get(HOME, {"search": "Thriller"})) == ["Night Train"]
    assert sorted(titles(client.get(HOME, {"search": "crime"}))) == ["The Hollow Witness"]
    assert sorted(titles(client.get(HOME, {"search": "fiction"}))) == ["Night Train", "The Hollow Witness"]
    assert titles(client.get(HOME, {"search": "hollow mystery"})) == ["The Hollow Witness"]


@pytest.mark.django_db(transaction=True)
def test_a_typo_finds_nothing_and_offers_the_word_meant(client, genres):
    BookFactory(title="The Hollow Witness", genre=genres["mystery"])

    response = client.get(HOME, {"search": "mistery"})

    html = response.content.decode()
    assert titles(response) == []
    assert "No books match “mistery”" in html
    assert f'Did you mean <a href="{HOME}?search=mystery">mystery</a>?' in html


@pytest.mark.django_db(transaction=True)
def test_no_did_you_mean_when_nothing_is_close(client, genres):
    html = client.get(HOME, {"search": "qwxzvb"}).content.decode()

    assert "No books match “qwxzvb”" in html and "Did you mean" not in html


@pytest.mark.parametrize("blank", ["", "   ", "%20"])
def test_a_blank_search_is_no_search(client, genres, blank):
    BookFactory(title="Anything")

    response = client.get(f"{HOME}?search={blank}")

    html = response.content.decode()
    assert titles(response) == ["Anything"]
    assert "Results for" not in html and "Our books" in html and "<title>Catalog · Bookstore</title>" in html
    assert 'name="search"' not in html.split('id="filters"')[1]  # no blank search carried into the filters


def test_sort_menu_applies_on_change_and_has_a_button_without_javascript(client):
    html = client.get(HOME).content.decode()

    assert '<select id="ordering" name="ordering" form="filters" data-submit-on-change>' in html
    assert (
        '<noscript><button type="submit" class="button button--small" form="filters">Sort</button></noscript>'
        in html
    )
    assert '<option value="-bestselling">Bestsellers</option>' in html


def test_bestsellers_sort_puts_most_sold_first(client):
    few, many = BookFactory(title="Few"), BookFactory(title="Many")
    BookFactory(title="None")
    book_sales_set(units={few.pk: 2, many.pk: 9})

    assert titles(client.get(HOME, {"ordering": "-bestselling"})) == ["Many", "Few", "None"]


def test_cards_offer_quick_add_for_books_in_stock_back_to_this_page(client):
    in_stock = BookFactory(title="On the Shelf", stock=3)
    BookFactory(title="Sold Out", stock=0)

    html = client.get(HOME, {"page": "1", "ordering": "title"}).content.decode()

    assert html.count(f'action="{reverse("cart:add")}"') == 1
    form = html.split('class="book-card__add"')[1].split("</form>")[0]
    assert f'name="book_id" value="{in_stock.pk}"' in form and 'name="quantity" value="1"' in form
    assert f'name="next" value="{HOME}?page=1&amp;ordering=title"' in form
    assert 'Add to cart<span class="visually-hidden">: On the Shelf</span>' in form


def test_book_page_shows_customers_also_bought_and_more_by_the_author(client):
    book = BookFactory(title="Dune", author="Frank Herbert")
    messiah = BookFactory(title="Dune Messiah", author="Frank Herbert")
    emma = BookFactory(title="Emma", author="Jane Austen")
    gone = BookFactory(title="Withdrawn", author="Frank Herbert")
    Book.objects.filter(pk=gone.pk).update(is_active=False)
    book_relations_replace(relations={book.pk: [(emma.pk, 5), (gone.pk, 9)]})

    response = client.get(reverse("catalog:book_detail", args=[book.pk]))

    related = response.context["related"]
    assert [b.title for b in related.also_bought] == ["Emma"]
    assert [b.title for b in related.by_author] == ["Dune Messiah"]
    html = response.content.decode()
    assert "Customers also bought" in html and "More by Frank Herbert" in html
    assert f'id="book-{messiah.pk}-title-author"' in html and f'id="book-{emma.pk}-title-bought"' in html
    assert html.count(f'action="{reverse("cart:add")}"') == 1  # the book's own button only


def test_book_page_without_related_books_shows_neither_list(client):
    book = BookFactory(title="Alone", author="Solo Writer")

    html = client.get(reverse("catalog:book_detail", args=[book.pk])).content.decode()

    assert "Customers also bought" not in html and "More by" not in html
