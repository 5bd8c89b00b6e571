"""Small HTTP helpers for the accounts tests: log in, call as a token holder, probe a token."""

from rest_framework.test import APIClient

from accounts.factories import DEFAULT_PASSWORD


def login(email: str, password: str = DEFAULT_PASSWORD, *, ip: str = "127.0.0.1"):
    return APIClient().post(
        "/api/auth/login/", {"email": email, "password": password}, format="json", REMOTE_ADDR=ip
    )


def token_pair(user, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
    """A real pair obtained through the login endpoint."""
    response = login(user.email, password)
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def me_status(access: str) -> int:
    """200 while the access token is accepted, 401 once it is not."""
    return bearer(access).get("/api/users/me/").status_code


def refresh(raw: str):
    return APIClient().post("/api/auth/refresh/", {"refresh": raw}, format="json")
