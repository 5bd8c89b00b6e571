"""Account writes: registration, email verification, login, profile, passwords, closing, and staff
(de)activation."""

import secrets

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core.background import task_enqueue_on_commit
from core.errors import Forbidden, InvalidTransition
from notifications.services import email_notify

from . import tasks  # the reset mail's task; it calls back into this module when it runs
from .login_sessions import login_sessions_forget, login_sessions_revoke
from .login_throttle import (
    login_attempt_begin,
    login_attempt_succeeded,
    password_check_begin,
    password_check_succeeded,
)
from .social import social_accounts_forget

User = get_user_model()

PROFILE_FIELDS = ("username", "first_name", "last_name")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Links that confirm an address: valid for PASSWORD_RESET_TIMEOUT, and only for the email they were
    sent to (a later change of address makes them invalid). Using one twice is harmless."""

    key_salt = "accounts.services.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def _check_unique(*, email: str | None = None, username: str | None = None, exclude_id=None) -> None:
    errors = {}
    others = User.objects.exclude(pk=exclude_id) if exclude_id else User.objects.all()
    if email is not None and others.filter(email__iexact=email).exists():
        errors["email"] = ["A user with this email already exists."]
    if username is not None and others.filter(username__iexact=username).exists():
        errors["username"] = ["A user with this username already exists."]
    if errors:
        raise ValidationError(errors)


def _uid_of(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _link_mail(*, user: User, tokens: PasswordResetTokenGenerator, event: str, template: str) -> None:
    """Mail the user a one-time link of this kind (uid and token); the mail's key names the event."""
    token = tokens.make_token(user)
    email_notify(
        key=f"user:{user.pk}:{event}:{token}",
        template=template,
        to=user.email,
        context={"user": user, "uid": _uid_of(user), "token": token},
    )


def _link_user(*, uid: str, token: str, tokens: PasswordResetTokenGenerator, invalid: str) -> User:
    """The active user a mailed link is for, or a ValidationError (`invalid`) when it is bad or used."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not tokens.check_token(user, token):
        raise ValidationError({"token": [invalid]})
    return user


def user_register(
    *, email: str, username: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    email = User.objects.normalize_email(email)
    _check_unique(email=email, username=username)
    user = User(email=email, username=username, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            email_verification_send(user=user)
    except IntegrityError as exc:  # a concurrent registration won the race
        raise ValidationError({"email": ["A user with this email or username already exists."]}) from exc
    return user


def email_verification_send(*, user: User) -> None:
    """Mail the user a link that confirms their address (after registering). Nothing waits for it."""
    _link_mail(
        user=user,
        tokens=email_verification_token,
        event="verify-email",
        template="accounts/email/verify_email",
    )


def user_email_verify(*, uid: str, token: str) -> User:
    """Confirm the address a verification link was sent to; a bad or expired link is a 400."""
    user = _link_user(
        uid=uid,
        token=token,
        tokens=email_verification_token,
        invalid="This verification link is invalid or has expired.",
    )
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified", "updated_at"])
    return user


def user_authenticate(*, request, email: str, password: str, ip: str):
    """The active user for these credentials, or None; LoginThrottled (429) when over a limit.

    The attempt is counted (login_throttle) before the password is checked."""
    attempt = login_attempt_begin(email=email, ip=ip)
    user = authenticate(request, email=User.objects.normalize_email(email), password=password)
    if user is not None:
        login_attempt_succeeded(attempt)
    return user


def user_password_confirm(*, user: User, password: str, field: str = "password") -> None:
    """Check the user's own password before a sensitive change: wrong → 400 on `field`; checks are
    counted per user before the hash is computed (PasswordChecksThrottled, 429, over the limit)."""
    password_check_begin(user=user)
    if not user.check_password(password):
        raise ValidationError({field: ["The current password is not correct."]})
    password_check_succeeded(user=user)


def user_update_profile(*, user: User, **fields) -> User:
    """Write only the profile fields given: a full save of this copy could undo a concurrent
    deactivation or password change."""
    changes = {name: value for name, value in fields.items() if name in PROFILE_FIELDS}
    if not changes:
        return user
    if "username" in changes:
        _check_unique(username=changes["username"], exclude_id=user.pk)
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        with transaction.atomic():
            user.save(update_fields=[*changes, "updated_at"])
    except IntegrityError as exc:
        raise ValidationError({"username": ["A user with this username already exists."]}) from exc
    return user


def _set_new_password(*, user: User, new_password: str, keep_session: int | None) -> None:
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    with transaction.atomic():
        user.save(update_fields=["password", "updated_at"])
        login_sessions_revoke(user=user, keep=keep_session)


def user_change_password(
    *, user: User, old_password: str, new_password: str, current_session_id: int | None = None
) -> None:
    """Every other login of the user ends; the one making the change (`current_session_id`) stays."""
    user_password_confirm(user=user, password=old_password, field="old_password")
    _set_new_password(user=user, new_password=new_password, keep_session=current_session_id)


def password_reset_request(*, email: str) -> None:
    """Mail a reset link when an active account has this email; say nothing either way.

    The lookup and the mail run off the request for every address (a task: accounts.tasks), so a
    known email and an unknown one are answered in the same time: the answer is no way to find accounts."""
    task_enqueue_on_commit(tasks.password_reset_mail, email)


def password_reset_mail(*, email: str) -> None:
    """Also for an account made by a Google/GitHub sign-in, which has no password yet: this is how it
    sets one (the provider verified the address the link goes to)."""
    user = User.objects.filter(email__iexact=User.objects.normalize_email(email), is_active=True).first()
    if user is None:
        return
    _link_mail(
        user=user,
        tokens=default_token_generator,
        event="password-reset",
        template="accounts/email/password_reset",
    )


def password_reset_user(*, uid: str, token: str) -> User:
    """The user a reset link is for, or a ValidationError when the link is bad or used."""
    return _link_user(
        uid=uid,
        token=token,
        tokens=default_token_generator,
        invalid="This password reset link is invalid or has expired.",
    )


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    """Set the new password; every login of the account ends (whoever knew the old one is out)."""
    user = password_reset_user(uid=uid, token=token)
    _set_new_password(user=user, new_password=new_password, keep_session=None)


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    if user.pk == actor.pk:
        raise InvalidTransition("You cannot deactivate your own account.")
    if user.is_superuser and not actor.is_superuser:
        raise Forbidden("Only a superuser may deactivate a superuser.")
    User.objects.filter(pk=user.pk).update(is_active=False, updated_at=timezone.now())
    login_sessions_revoke(user=user)
    user.refresh_from_db()
    return user


def user_reactivate(*, user: User, actor: User) -> User:
    """The account may log in again; its earlier logins stay ended."""
    User.objects.filter(pk=user.pk).update(is_active=True, updated_at=timezone.now())
    user.refresh_from_db()
    return user


def user_close_check(*, user: User) -> None:
    """Whether this account may close itself: staff accounts are ended by a superuser in the admin."""
    if user.is_staff or user.is_superuser:
        raise Forbidden("A staff account cannot be closed here; a superuser can deactivate it.")


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """Close the account for good: no email, names or password remain, nobody can log in with it, and
    every login (with its address and browser) and connected Google/GitHub account is forgotten. Orders and reviews keep pointing at the row,
    for the shop's records."""
    user_close_check(user=user)
    # Random, so nobody can have registered the name or address first (both are unique).
    closed = f"closed-{user.pk}-{secrets.token_hex(6)}"
    User.objects.filter(pk=user.pk).update(
        email=f"{closed}@closed.invalid",
        username=closed,
        first_name="",
        last_name="",
        password=make_password(None),  # unusable
        is_active=False,
        email_verified=False,
        updated_at=timezone.now(),
    )
    login_sessions_forget(user=user)
    social_accounts_forget(user=user)
    user.refresh_from_db()
