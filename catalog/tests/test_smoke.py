import pytest

from catalog.factories import BookFactory


@pytest.mark.django_db
def test_smoke(api_client, staff_client, user_client):
    BookFactory.create_batch(3)
    r = api_client.get("/api/books")
    assert r.status_code == 200, r.content
    assert r.json()["count"] == 3
    r = staff_client.post(
        "/api/books/",
        {"title": "T", "author": "A", "isbn": "0-306-40615-2", "price": "12.50", "stock": 3},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["isbn"] == "9780306406157"
    r = user_client.post("/api/books/", {}, format="json")
    assert r.status_code == 403
    r = api_client.post("/api/books/", {}, format="json")
    assert r.status_code == 401
    r = api_client.post(
        "/api/auth/register",
        {"email": "x@y.com", "username": "xx", "password": "pw-Long-enough-77"},
        format="json",
    )
    assert r.status_code == 201, r.content
    r = api_client.post(
        "/api/auth/login", {"email": "X@y.com", "password": "pw-Long-enough-77"}, format="json"
    )
    assert r.status_code == 200, r.content
    r2 = api_client.post("/api/auth/refresh", {"refresh": r.json()["refresh"]}, format="json")
    assert r2.status_code == 200, r2.content
    r3 = api_client.post("/api/auth/refresh", {"refresh": r.json()["refresh"]}, format="json")
    assert r3.status_code == 401, r3.content
    assert api_client.get("/api/health/").json() == {"status": "ok", "database": "ok"}
    assert api_client.get("/api/schema/").status_code == 200
