"""/api/schema/, /api/docs/ and /api/redoc/: OpenAPI 3 and its viewers, served by the project alone."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
EXTERNAL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}""", re.IGNORECASE)


@pytest.mark.django_db
def test_schema_is_openapi_3_and_lists_the_account_endpoints():
    response = APIClient().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200, response.content
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/auth/login/", "/api/auth/refresh/", "/api/users/me/", "/api/admin/users/"]:
        assert path in schema["paths"], sorted(schema["paths"])


@pytest.mark.django_db
def test_schema_default_format_is_served():
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    assert b"openapi: 3." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_doc_pages_load_only_local_assets(path):
    client = Client()

    response = client.get(path)

    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert EXTERNAL.findall(html) == []
    assets = ASSET.findall(html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_redoc_blocks_the_logo_its_bundle_fetches_from_a_cdn():
    """The ReDoc bundle always draws a logo from cdn.redoc.ly; an image policy keeps it from loading."""
    html = Client().get("/api/redoc/").content.decode()

    assert """<meta http-equiv="Content-Security-Policy" content="img-src 'self' data: blob:">""" in html
