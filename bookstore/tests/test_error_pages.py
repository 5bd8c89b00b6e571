"""Error pages: 500 renders with nothing but the template engine; 404 and CSRF failures read well."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


def test_500_page_needs_no_context_or_database():
    # No db fixture: pytest-django turns any database query here into an error.
    request = RequestFactory().get("/")

    response = server_error(request)

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b'href="/"' in response.content


@pytest.mark.django_db
def test_unknown_page_uses_the_shop_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    assert b'role="search"' in response.content
