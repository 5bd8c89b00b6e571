"""POST /api/auth/register/: anyone may create a customer account, never a staff one."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.factories import UserFactory

from .helpers import login

User = get_user_model()

URL = "/api/auth/register/"
STRONG_PASSWORD = "paper-lantern-harbour-42"
USER_FIELDS = {
    "id",
    "email",
    "username",
    "first_name",
    "last_name",
    "is_staff",
    "date_joined",
    "updated_at",
    "email_verified",
}


def payload(**overrides):
    return {
        "email": "new.reader@example.com",
        "username": "newreader",
        "password": STRONG_PASSWORD,
        **overrides,
    }


@pytest.mark.django_db
def test_register_creates_a_customer_and_never_echoes_the_password(api_client):
    response = api_client.post(
        URL, payload(email="New.Reader@Example.COM", first_name="Grace", last_name="Hopper"), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == USER_FIELDS
    assert STRONG_PASSWORD not in response.content.decode()
    assert body["email"] == "new.reader@example.com"
    assert body["username"] == "newreader"
    assert (body["first_name"], body["last_name"]) == ("Grace", "Hopper")
    assert body["is_staff"] is False
    user = User.objects.get(pk=body["id"])
    assert user.email == "new.reader@example.com"
    assert user.check_password(STRONG_PASSWORD)
    assert user.password != STRONG_PASSWORD
    assert user.is_active
    assert login("NEW.reader@example.com", STRONG_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_register_ignores_role_fields(api_client):
    response = api_client.post(
        URL,
        payload(is_staff=True, is_superuser=True, is_active=False, groups=[1], user_permissions=[1]),
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["is_staff"] is False
    user = User.objects.get(email="new.reader@example.com")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active
    assert not user.groups.exists()
    assert not user.user_permissions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ["taken@example.com", "TAKEN@example.com", "Taken@Example.Com", "  taken@example.com  "]
)
def test_register_refuses_an_email_already_taken_in_any_case(api_client, email):
    existing = UserFactory(email="taken@example.com")

    response = api_client.post(URL, payload(email=email), format="json")

    assert response.status_code == 400, response.content
    assert "email" in response.json()
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert existing.check_password("correct-horse-battery-9")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["taken", "TAKEN", "Taken"])
def test_register_refuses_a_username_already_taken_in_any_case(api_client, username):
    UserFactory(username="taken")

    response = api_client.post(URL, payload(username=username), format="json")

    assert response.status_code == 400, response.content
    assert "username" in response.json()
    assert not User.objects.filter(email="new.reader@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tq7!xz", "too short"),
        ("password123", "too common"),
        ("48213975160", "entirely numeric"),
        ("new.reader.example", "too similar"),
        ("newreader", "too similar"),
    ],
    ids=["short", "common", "numeric", "similar-to-email", "similar-to-username"],
)
def test_register_applies_django_password_validators(api_client, password, message):
    response = api_client.post(URL, payload(password=password), format="json")

    assert response.status_code == 400, response.content
    errors = response.json()["password"]
    assert any(message in error for error in errors), errors
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "newreader", "password": STRONG_PASSWORD}, "email"),
        ({"email": "new.reader@example.com", "password": STRONG_PASSWORD}, "username"),
        ({"email": "new.reader@example.com", "username": "newreader"}, "password"),
        (payload(email="not-an-email"), "email"),
        (payload(email=["new.reader@example.com"]), "email"),
        (payload(username="has spaces"), "username"),
        (payload(username="x" * 151), "username"),
        (payload(username="nul\x00byte"), "username"),
        (payload(password=None), "password"),
        (payload(password="p" * 129), "password"),
        (payload(first_name="f" * 151), "first_name"),
    ],
)
def test_register_rejects_malformed_input(api_client, body, field):
    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_rejects_a_body_that_is_not_an_object(api_client):
    response = api_client.post(URL, ["new.reader@example.com"], format="json")

    assert response.status_code == 400, response.content
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registrations_are_throttled(api_client):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["register"].split("/")[0])
    for n in range(allowed):
        response = api_client.post(URL, payload(email=f"r{n}@example.com", username=f"r{n}"), format="json")
        assert response.status_code == 201, response.content

    response = api_client.post(URL, payload(), format="json")

    assert response.status_code == 429, response.content
    assert response.json()["code"] == "throttled"
    assert not User.objects.filter(email="new.reader@example.com").exists()
