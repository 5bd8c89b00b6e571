"""The Django admin for users: a superuser can find, create, deactivate and reactivate accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from accounts.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory

from .helpers import login, me_status, refresh, token_pair

User = get_user_model()

CHANGELIST = "/admin/accounts/user/"


def run_action(admin_client, action: str, users):
    return admin_client.post(
        CHANGELIST, {"action": action, "_selected_action": [user.pk for user in users]}, follow=True
    )


@pytest.mark.django_db
def test_changelist_loads_and_searches(admin_client):
    ada = UserFactory(email="ada@analytical.example", username="countess")
    alan = UserFactory(email="alan@turing.example", username="alan")

    everyone = admin_client.get(CHANGELIST)
    searched = admin_client.get(CHANGELIST, {"q": "analytical"})
    by_username = admin_client.get(CHANGELIST, {"q": "COUNTESS"})

    assert everyone.status_code == 200
    assert ada.email in everyone.text and alan.email in everyone.text
    assert searched.status_code == 200
    assert ada.email in searched.text
    assert alan.email not in searched.text
    assert list(by_username.context["cl"].result_list) == [ada]


@pytest.mark.django_db
def test_changelist_filters_by_active(admin_client):
    UserFactory(email="gone@example.com", is_active=False)

    response = admin_client.get(CHANGELIST, {"is_active__exact": "0"})

    assert response.status_code == 200
    assert [user.email for user in response.context["cl"].result_list] == ["gone@example.com"]


@pytest.mark.django_db
def test_change_and_add_pages_load(admin_client):
    target = UserFactory()

    assert admin_client.get(f"{CHANGELIST}{target.pk}/change/").status_code == 200
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 200


@pytest.mark.django_db
def test_add_user_creates_a_customer_that_can_log_in(admin_client):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "email": "Added@Example.com",
            "username": "added",
            "usable_password": "true",
            "password1": "stone-orchard-kettle-31",
            "password2": "stone-orchard-kettle-31",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = User.objects.get(username="added")
    assert added.email == "added@example.com"
    assert not added.is_staff
    assert login("added@example.com", "stone-orchard-kettle-31").status_code == 200


@pytest.mark.django_db
def test_add_user_refuses_an_email_taken_in_another_case(admin_client):
    UserFactory(email="taken@example.com")

    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "email": "TAKEN@example.com",
            "username": "another",
            "usable_password": "true",
            "password1": "stone-orchard-kettle-31",
            "password2": "stone-orchard-kettle-31",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="another").exists()
    assert login("taken@example.com").status_code == 200


@pytest.mark.django_db
def test_deactivate_action_locks_the_selected_users_out(admin_client):
    first, second = UserFactory.create_batch(2)
    bystander = UserFactory()
    sessions = [token_pair(first), token_pair(second)]

    response = run_action(admin_client, "deactivate_users", [first, second])

    assert response.status_code == 200
    for user, session in zip([first, second], sessions, strict=True):
        user.refresh_from_db()
        assert not user.is_active
        assert me_status(session["access"]) == 401
        assert refresh(session["refresh"]).status_code == 401
        assert login(user.email).status_code == 401
    bystander.refresh_from_db()
    assert bystander.is_active


@pytest.mark.django_db
def test_deactivate_action_skips_the_acting_admin(admin_client, admin_user):
    other = UserFactory()

    response = run_action(admin_client, "deactivate_users", [admin_user, other])

    assert response.status_code == 200
    admin_user.refresh_from_db()
    other.refresh_from_db()
    assert admin_user.is_active
    assert not other.is_active
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("cannot deactivate your own account" in message for message in messages), messages
    assert admin_client.get(CHANGELIST).status_code == 200


@pytest.mark.django_db
def test_reactivate_action_lets_users_log_in_again(admin_client):
    gone = UserFactory(is_active=False)

    response = run_action(admin_client, "reactivate_users", [gone])

    assert response.status_code == 200
    gone.refresh_from_db()
    assert gone.is_active
    assert login(gone.email, DEFAULT_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_staff_without_user_permissions_cannot_open_the_user_admin(client):
    target = UserFactory()
    client.force_login(StaffFactory())

    assert client.get(CHANGELIST).status_code == 403
    assert run_action(client, "deactivate_users", [target]).status_code == 403
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.django_db
def test_customers_are_sent_to_the_admin_login(client, user):
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_change_form_cannot_bypass_the_deactivation_service(admin_client):
    """Unticking "active" on the change form would leave the refresh tokens alive for a reactivation."""
    target = UserFactory()
    session = token_pair(target)
    form = {
        "username": target.username,
        "email": target.email,
        "first_name": "Renamed",
        "last_name": target.last_name,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }  # no "is_active": an unticked checkbox

    response = admin_client.post(f"{CHANGELIST}{target.pk}/change/", form)

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "Renamed"
    assert target.is_active
    assert refresh(session["refresh"]).status_code == 200
