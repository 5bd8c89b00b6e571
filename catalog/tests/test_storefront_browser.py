"""The storefront's catalog journeys in a real Chromium, at desktop (1280×800) and phone (390×844) sizes,
each screenshotted: a genre page and its sort menu, searching by genre, a typo and "Did you mean",
search-as-you-type with the keyboard, the book page's first screen, and the "Notify me list"."""

import re

import pytest
from playwright.sync_api import expect

from catalog.factories import BookFactory, GenreFactory
from catalog.models import PreBooking
from catalog.services import book_sales_set, prebooking_create
from tests_browser import screenshot, within_viewport

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf():
    fiction = GenreFactory(name="Fiction", slug="fiction")
    mystery = GenreFactory(name="Mystery", slug="mystery", parent=fiction)
    thriller = GenreFactory(name="Thriller", slug="thriller", parent=fiction)
    books = {
        "hollow": BookFactory(
            title="The Hollow Witness", author="Kenji Garrow", genre=mystery, price="15.50"
        ),
        "scones": BookFactory(title="Death by Scones", author="Anna Ellison", genre=mystery, price="11.99"),
        "train": BookFactory(title="Night Train", author="Vera Stone", genre=thriller),
    }
    book_sales_set(units={books["scones"].pk: 9, books["hollow"].pk: 2})
    return books


def cards(page):
    return page.locator(".book-grid .book-card")


def open_filters_on_phones(page):
    panel = page.locator("details.filters-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


def search(page, text):
    box = page.get_by_role("search")
    box.get_by_role("combobox", name="Search books").fill(text)
    box.get_by_role("button", name="Search").click()


def test_genre_page_and_sort_on_change(page, screen, live_server, shelf):
    page.goto("/")
    open_filters_on_phones(page)
    page.get_by_role("navigation", name="Genres").get_by_role("link", name="Mystery", exact=True).click()

    expect(page).to_have_title("Mystery · Bookstore")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mystery")
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link", name="Fiction")).to_be_visible()
    expect(breadcrumbs.locator('[aria-current="page"]')).to_have_text("Mystery")
    expect(cards(page)).to_have_count(2)

    page.wait_for_load_state()  # the script that sorts on change has run (it is deferred)
    page.get_by_label("Sort by").select_option(label="Bestsellers")  # no button: it applies on change

    expect(page).to_have_url(re.compile(r"ordering=-bestselling"))
    expect(page).to_have_url(re.compile(r"genre=mystery"))
    expect(cards(page).first).to_contain_text("Death by Scones")
    expect(page.get_by_label("Sort by")).to_have_value("-bestselling")
    screenshot(page, f"genre-{screen}")


def test_sort_works_without_javascript(browser, live_server, shelf):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/?genre=mystery")
        page.get_by_label("Sort by").select_option(label="Bestsellers")
        page.get_by_role("button", name="Sort").click()

        expect(page).to_have_url(re.compile(r"ordering=-bestselling"))
        expect(cards(page).first).to_contain_text("Death by Scones")
    finally:
        context.close()


def test_search_by_genre_then_a_typo_and_did_you_mean(page, screen, shelf):
    page.goto("/")
    search(page, "thriller")

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “thriller”")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Night Train")

    search(page, "mistery")

    empty = page.locator(".empty-state")
    expect(empty.get_by_role("heading", level=2)).to_have_text("No books match “mistery”")
    expect(empty).to_contain_text("Did you mean mystery?")
    screenshot(page, f"search-typo-{screen}")
    empty.get_by_role("link", name="mystery").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “mystery”")
    expect(cards(page)).to_have_count(2)
    screenshot(page, f"search-genre-{screen}")


def test_a_blank_search_is_no_search(page, shelf):
    page.goto("/")
    search(page, "   ")

    expect(page.get_by_role("heading", level=1)).to_have_text("Our books")
    expect(cards(page)).to_have_count(3)


def test_search_as_you_type_with_the_keyboard(page, screen, live_server, shelf):
    page.goto("/")
    box = page.get_by_role("combobox", name="Search books")

    box.press_sequentially("Myst")

    listbox = page.get_by_role("listbox", name="Search suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name=re.compile("Genre: Mystery"))).to_be_visible()
    screenshot(page, f"suggestions-{screen}")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("Myst")

    box.press("ArrowDown")  # opens the list again
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    target = next(n for n in range(options.count()) if "Genre: Mystery" in options.nth(n).text_content())
    for _ in range(target + 1):
        box.press("ArrowDown")
    expect(options.nth(target)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(target).get_attribute("id"))
    box.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/?genre=mystery")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mystery")


def test_suggestions_offer_the_word_meant_for_a_typo(page, shelf):
    page.goto("/")
    page.get_by_role("combobox", name="Search books").press_sequentially("mistery")

    option = page.get_by_role("option", name=re.compile("Did you mean"))
    expect(option).to_contain_text("mystery?")
    option.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “mystery”")


def test_book_page_shows_price_and_add_to_cart_on_the_first_screen(page, screen, shelf):
    page.goto(f"/books/{shelf['hollow'].pk}/")

    price = page.locator(".buy-box .price")
    add = page.get_by_role("button", name="Add to cart")
    expect(price).to_have_text("$15.50")
    assert within_viewport(page, price) and within_viewport(page, add), "the buy box is below the fold"
    expect(page.get_by_role("heading", name="More by Kenji Garrow")).to_have_count(0)
    screenshot(page, f"book-{screen}")


def test_notify_me_list_and_cancel(page, screen, browser_login, user, shelf):
    waited = BookFactory(title="Sold Out Saga", stock=0)
    prebooking = prebooking_create(user=user, book_id=waited.pk)
    browser_login(user)
    page.goto("/")

    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Notify me list").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notify me list")
    row = page.get_by_role("row").filter(has_text="Sold Out Saga")
    expect(row).to_be_visible()
    screenshot(page, f"notify-me-{screen}")
    row.get_by_role("button", name="Cancel").click()

    expect(page.locator(".messages")).to_contain_text("we will not email you")
    expect(page.get_by_role("heading", name="You are not waiting for any book")).to_be_visible()
    prebooking.refresh_from_db()
    assert prebooking.status == PreBooking.Status.CANCELLED
