"""The catalog pages in a real Chromium: listing, search, genre navigation, pagination, book page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog.factories import BookFactory, GenreFactory
from tests_browser import screenshot

pytestmark = pytest.mark.browser


def cards(page):
    return page.locator(".book-grid .book-card")


def test_home_lists_books_and_search_narrows_them(page):
    BookFactory(title="Dune", author="Frank Herbert", price=Decimal("9.99"))
    BookFactory(title="Emma", author="Jane Austen")
    BookFactory(title="Middlemarch", author="George Eliot", stock=2)

    page.goto("/")

    expect(page).to_have_title("Catalog · Bookstore")
    expect(cards(page)).to_have_count(3)
    expect(page.get_by_role("heading", name="Dune")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("search").get_by_label("Search books").fill("herbert")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “herbert”")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Dune")
    expect(cards(page).first).to_contain_text("$9.99")


def test_genre_navigation_includes_sub_genres(page, live_server):
    fiction = GenreFactory(name="Fiction", slug="fiction")
    fantasy = GenreFactory(name="Fantasy", slug="fantasy", parent=fiction)
    history = GenreFactory(name="History", slug="history")
    BookFactory(title="Middlemarch", genre=fiction)
    BookFactory(title="Earthsea", genre=fantasy)
    BookFactory(title="SPQR", genre=history)

    page.goto("/")
    genres = page.get_by_role("navigation", name="Genres")
    fiction_item = genres.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="Fiction", exact=True)
    )
    expect(fiction_item.get_by_role("link", name="Fantasy")).to_be_visible()

    genres.get_by_role("link", name="Fiction", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/?genre=fiction")
    expect(cards(page)).to_have_count(2)
    expect(page.locator(".book-grid")).to_contain_text("Earthsea")
    expect(page.locator(".book-grid")).not_to_contain_text("SPQR")
    expect(genres.get_by_role("link", name="Fiction", exact=True)).to_have_attribute("aria-current", "page")

    genres.get_by_role("link", name="Fantasy").click()

    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Earthsea")


def test_pagination_keeps_the_search_across_pages(page, live_server):
    BookFactory.create_batch(25, title="Saga volume")
    BookFactory(title="Unrelated")

    page.goto("/?search=saga&ordering=title")
    expect(cards(page)).to_have_count(20)
    expect(page.get_by_role("status").filter(has_text="books")).to_have_text("25 books, page 1 of 2")

    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()

    expect(cards(page)).to_have_count(5)
    expect(page).to_have_url(f"{live_server.url}/?search=saga&ordering=title&page=2")
    expect(page.get_by_label("Sort by")).to_have_value("title")
    expect(page.locator(".book-grid")).not_to_contain_text("Unrelated")


def test_filters_and_sort_apply_together(page):
    BookFactory(title="Cheap", price=Decimal("5.00"), stock=3)
    BookFactory(title="Sold out", price=Decimal("6.00"), stock=0)
    BookFactory(title="Dear", price=Decimal("50.00"), stock=8)
    BookFactory(title="Middle", price=Decimal("20.00"), stock=8)

    page.goto("/")
    page.get_by_label("Max price").fill("30")
    page.get_by_label("In stock only").check()
    page.get_by_label("Sort by").select_option(label="Price: high to low")
    page.get_by_role("button", name="Apply filters").click()

    expect(cards(page)).to_have_count(2)
    expect(cards(page).nth(0)).to_contain_text("Middle")
    expect(cards(page).nth(1)).to_contain_text("Cheap")
    expect(page.get_by_label("In stock only")).to_be_checked()


def test_book_page_shows_stock_state(page):
    plenty = BookFactory(title="Plenty", stock=40, description="A book with plenty of copies.")
    few = BookFactory(title="Few", stock=2)
    none = BookFactory(title="None left", stock=0)

    page.goto("/")
    page.get_by_role("link", name="Plenty").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Plenty")
    expect(page.locator(".buy-box")).to_contain_text("In stock")
    expect(page.get_by_text(plenty.isbn)).to_be_visible()
    expect(page.get_by_role("img", name="No cover image for Plenty")).to_be_visible()
    expect(page.get_by_role("heading", name="Reviews")).to_be_visible()
    screenshot(page, "book")

    page.goto(f"/books/{few.pk}/")
    expect(page.locator(".buy-box")).to_contain_text("Only 2 left")

    page.goto(f"/books/{none.pk}/")
    expect(page.locator(".buy-box")).to_contain_text("Out of stock")


def test_unknown_book_shows_the_404_page(page):
    response = page.goto("/books/424242/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
