"""Account pages for shoppers: session login/out, registration (and the "Continue with Google/GitHub"
buttons), email verification, password reset and change, profile, the list of one's logins ("log out
other devices") and of one's connected sign-in accounts.

Each view checks the form's shape and hands the work to `accounts.services`, the same functions the
API uses, so throttling, uniqueness and password rules are enforced in one place.
"""

from functools import wraps

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import BusinessError
from core.forms import form_add_service_errors
from core.page_errors import page_action
from core.redirects import safe_next_url

from . import address_book, forms, login_sessions, selectors, services, social
from .login_throttle import client_ip
from .rate_limits import rate_limited


def _bound(form_class, request, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def social_sign_in_csp(view):
    """The sign-in buttons' forms are answered with a redirect to the provider, which the CSP's
    `form-action` must allow: on the pages that show them only, for the providers configured now."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        origins = social.social_sign_in_origins()
        allowing = csp_update({"form-action": origins})(view) if origins else view
        return allowing(request, *args, **kwargs)

    return wrapper


def _auth_page(request, template: str, context: dict, status: int = 200):
    """The login and registration pages, with a button per sign-in provider the shop offers."""
    context = {
        **context,
        "next": safe_next_url(request),
        "social_providers": social.social_providers_configured(),
    }
    return render(request, template, context, status=status)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@social_sign_in_csp
def login_view(request):
    form = _bound(forms.LoginForm, request)
    status = 200
    if form.is_valid():
        try:
            user = services.user_authenticate(request=request, ip=client_ip(request), **form.cleaned_data)
        except BusinessError as exc:  # too many failed logins: shown on the form, with its status
            form_add_service_errors(form, exc)
            status = exc.status_code
        else:
            if user is not None:
                login_sessions.web_login(request, user)
                messages.success(request, f"Welcome back, {user.first_name or user.username}.")
                return redirect(safe_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL))
            form.add_error(None, "The email or password is not correct.")
    return _auth_page(request, "accounts/login.html", {"form": form}, status=status)


@sensitive_post_parameters("password", "password2")
@require_http_methods(["GET", "POST"])
@rate_limited("register")
@social_sign_in_csp
def register_view(request):
    form = _bound(forms.RegisterForm, request)
    if form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "password2"}
        try:
            user = services.user_register(**data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            login_sessions.web_login(request, user)
            messages.success(request, "Welcome! Your account has been created and you are logged in.")
            return redirect(safe_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL))
    return _auth_page(request, "accounts/register.html", {"form": form})


@require_POST
def logout_view(request):
    login_sessions.web_logout(request)
    messages.info(request, "You have been logged out.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
@rate_limited("password_reset")
def password_reset_view(request):
    form = _bound(forms.PasswordResetForm, request)
    if form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_done_view(request):
    return render(request, "accounts/password_reset_done.html")


@sensitive_post_parameters("new_password", "new_password2")
@require_http_methods(["GET", "POST"])
def password_reset_confirm_view(request, uidb64: str, token: str):
    try:
        account = services.password_reset_user(uid=uidb64, token=token)
    except ValidationError:
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = _bound(forms.SetPasswordForm, request)
    if form.is_valid():
        try:
            services.password_reset_confirm(
                uid=uidb64, token=token, new_password=form.cleaned_data["new_password"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your password has been changed. You can log in with it now.")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form, "account": account})


@sensitive_post_parameters("old_password", "new_password", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = _bound(forms.PasswordChangeForm, request)
    status = 200
    if form.is_valid():
        try:
            services.user_change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                current_session_id=login_sessions.current_login_session_id(request),
            )
        except (ValidationError, BusinessError) as exc:
            form_add_service_errors(form, exc)
            status = exc.status_code if isinstance(exc, BusinessError) else 200
        else:
            # The session carries a hash of the password: refresh it so this browser stays logged in.
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password has been changed. Your other devices are logged out.")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    user = request.user
    form = _bound(
        forms.ProfileForm,
        request,
        initial={"username": user.username, "first_name": user.first_name, "last_name": user.last_name},
    )
    if form.is_valid():
        try:
            services.user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_email_view(request, uidb64: str, token: str):
    """The link in the verification email: a button confirms (a mail scanner's GET confirms nothing)."""
    if request.method == "POST":
        try:
            services.user_email_verify(uid=uidb64, token=token)
        except ValidationError:
            return render(request, "accounts/verify_email_invalid.html", status=400)
        messages.success(request, "Thank you: your email address is confirmed.")
        return redirect("accounts:profile" if request.user.is_authenticated else "catalog:home")
    return render(request, "accounts/verify_email.html")


@login_required
def sessions_view(request):
    current = login_sessions.current_login_session_id(request)
    logins = [
        (login, login.pk == current)
        for login in login_sessions.login_sessions_active(user=request.user).order_by("-last_used_at", "-id")
    ]
    return render(request, "accounts/sessions.html", {"logins": logins})


@page_action(back="accounts:sessions", failed="Nothing was logged out.", login_required=True)
def session_revoke_view(request, session_id: int):
    login_sessions.login_session_revoke(user=request.user, session_id=session_id)
    if session_id == login_sessions.current_login_session_id(request):
        auth_logout(request)
        messages.info(request, "You have been logged out.")
        return redirect(settings.LOGOUT_REDIRECT_URL)
    messages.success(request, "That device has been logged out.")
    return redirect("accounts:sessions")


@page_action(back="accounts:sessions", login_required=True)
def sessions_revoke_others_view(request):
    ended = login_sessions.login_sessions_revoke(
        user=request.user, keep=login_sessions.current_login_session_id(request)
    )
    messages.success(request, f"Logged out {ended} other device{'s' if ended != 1 else ''}.")
    return redirect("accounts:sessions")


# --- Connected sign-in accounts (Google, GitHub) ---------------------------------------------------


@login_required
@require_GET
def social_accounts_view(request):
    accounts = [
        (
            account,
            social.PROVIDERS.get(account.provider, account.provider),
            social.social_account_name(account),
        )
        for account in selectors.social_account_list(user=request.user)
    ]
    return render(request, "accounts/social_accounts.html", {"accounts": accounts})


@page_action(back="accounts:social_accounts", failed="Nothing was disconnected.", login_required=True)
def social_account_unlink_view(request, account_id: int):
    social.social_account_unlink(user=request.user, account_id=account_id)
    messages.success(request, "That account is disconnected: it no longer signs you in here.")
    return redirect("accounts:social_accounts")


# --- Address book ----------------------------------------------------------------------------------


@login_required
@require_GET
def address_list_view(request):
    addresses = address_book.address_list_for_user(user=request.user)
    return render(request, "accounts/address_list.html", {"addresses": addresses})


@login_required
@require_http_methods(["GET", "POST"])
def address_create_view(request):
    form = _bound(forms.AddressBookForm, request)
    if form.is_valid():
        try:
            address_book.address_create(user=request.user, **form.cleaned_data)
        except (ValidationError, BusinessError) as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The address has been added to your address book.")
            return redirect(safe_next_url(request) or resolve_url("accounts:addresses"))
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "heading": "Add an address", "next": safe_next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def address_update_view(request, address_id: int):
    address = address_book.address_get_for_user(user=request.user, address_id=address_id)
    initial = {**address_book.address_snapshot(address), "is_default": address.is_default}
    form = _bound(forms.AddressBookForm, request, initial=initial)
    if form.is_valid():
        try:
            address_book.address_update(user=request.user, address_id=address.pk, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The address has been saved.")
            return redirect("accounts:addresses")
    return render(
        request, "accounts/address_form.html", {"form": form, "heading": "Edit address", "address": address}
    )


@login_required
@page_action(back="accounts:addresses", failed="The address was not deleted.")
def address_delete_view(request, address_id: int):
    address_book.address_delete(user=request.user, address_id=address_id)
    messages.success(request, "The address has been deleted.")
    return redirect("accounts:addresses")


@login_required
@page_action(back="accounts:addresses", failed="The default address was not changed.")
def address_default_view(request, address_id: int):
    address_book.address_update(user=request.user, address_id=address_id, is_default=True)
    messages.success(request, "This is now your default address.")
    return redirect("accounts:addresses")
