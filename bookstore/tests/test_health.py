"""GET /api/health/: the readiness probe answers only after a real query reaches the database."""

import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health/", "/api/health"])
def test_health_reports_the_database_up(path):
    response = APIClient().get(path)

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_needs_no_credentials_and_ignores_bad_ones():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")

    response = client.get("/api/health/")

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_is_read_only():
    assert APIClient().post("/api/health/", {}, format="json").status_code == 405
