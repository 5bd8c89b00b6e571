"""Account writes: registration, login, profile, passwords and staff (de)activation."""

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core.errors import Forbidden, InvalidTransition
from notifications.services import email_notify

from .login_throttle import login_failure_record, login_failures_clear, login_is_blocked
from .tokens import user_tokens_revoke_all

User = get_user_model()

PROFILE_FIELDS = ("username", "first_name", "last_name")


class LoginThrottled(Exception):
    pass


def _check_unique(*, email: str | None = None, username: str | None = None, exclude_id=None) -> None:
    errors = {}
    others = User.objects.exclude(pk=exclude_id) if exclude_id else User.objects.all()
    if email is not None and others.filter(email__iexact=email).exists():
        errors["email"] = ["A user with this email already exists."]
    if username is not None and others.filter(username__iexact=username).exists():
        errors["username"] = ["A user with this username already exists."]
    if errors:
        raise ValidationError(errors)


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
    except IntegrityError as exc:  # a concurrent registration won the race
        raise ValidationError({"email": ["A user with this email or username already exists."]}) from exc
    return user


def user_authenticate(*, request, email: str, password: str, ip: str):
    """Returns the active user for these credentials, or None; raises LoginThrottled when blocked."""
    if login_is_blocked(email=email, ip=ip):
        raise LoginThrottled()
    user = authenticate(request, email=User.objects.normalize_email(email), password=password)
    if user is None:
        login_failure_record(email=email, ip=ip)
        return None
    login_failures_clear(email=email, ip=ip)
    return user


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
            user.save(update_fields=list(changes))
    except IntegrityError as exc:
        raise ValidationError({"username": ["A user with this username already exists."]}) from exc
    return user


def _set_new_password(*, user: User, new_password: str) -> None:
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        # Tokens carry a hash of the password, so they are already dead; also retire refresh rows.
        user_tokens_revoke_all(user=user)


def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is not correct."]})
    _set_new_password(user=user, new_password=new_password)


def password_reset_request(*, email: str) -> None:
    """Send a reset mail when an active account has this email; say nothing either way."""
    user = User.objects.filter(email__iexact=User.objects.normalize_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    email_notify(
        key=f"user:{user.pk}:password-reset:{token}",
        template="accounts/email/password_reset",
        to=user.email,
        context={"user": user, "uid": uid, "token": token},
    )


def password_reset_user(*, uid: str, token: str) -> User:
    """The user a reset link is for, or a ValidationError when the link is bad or used."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise ValidationError({"token": ["This password reset link is invalid or has expired."]})
    return user


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    user = password_reset_user(uid=uid, token=token)
    _set_new_password(user=user, new_password=new_password)


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    if user.pk == actor.pk:
        raise InvalidTransition("You cannot deactivate your own account.")
    if user.is_superuser and not actor.is_superuser:
        raise Forbidden("Only a superuser may deactivate a superuser.")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user_tokens_revoke_all(user=user)
    user.refresh_from_db()
    return user


def user_reactivate(*, user: User, actor: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.refresh_from_db()
    return user
