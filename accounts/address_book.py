"""The address book: each user's saved addresses, their writes and reads (API, account pages, checkout).

Every write checks the address with `accounts.addresses.address_normalize` (the one set of rules and
messages) and runs with the user's row locked, so "the first address becomes the default" and "one
default at a time" hold even when two requests race. Orders copy the address (`address_snapshot`), so
nothing here ever changes an order.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from core.db import with_lock_retry
from core.errors import BusinessError, NotFound

from .addresses import ADDRESS_FIELDS, address_normalize
from .models import Address

# Enough for any household and office; a bound keeps a script from filling the table.
ADDRESS_BOOK_LIMIT = 50


class AddressBookFull(BusinessError):
    code = "address_book_full"
    default_detail = f"Your address book holds at most {ADDRESS_BOOK_LIMIT} addresses; delete one first."


def address_list_for_user(*, user) -> QuerySet:
    return Address.objects.filter(user=user).order_by("-is_default", "id")


def address_get_for_user(*, user, address_id: int) -> Address:
    """The user's own address; someone else's is reported missing, never forbidden."""
    address = Address.objects.filter(user=user, pk=address_id).first()
    if address is None:
        raise NotFound("No such address in your address book.")
    return address


def address_snapshot(address: Address | dict) -> dict[str, str]:
    """The address fields as an order keeps them (plain strings, the contract's keys only)."""
    if isinstance(address, dict):
        return {field: str(address.get(field) or "") for field in ADDRESS_FIELDS}
    return {field: str(getattr(address, field) or "") for field in ADDRESS_FIELDS}


def _lock_user(user) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _is_default_clean(value) -> bool:
    if not isinstance(value, bool):
        raise ValidationError({"is_default": ["Must be true or false."]})
    return value


def address_create(*, user, is_default: bool = False, **fields) -> Address:
    """Add an address; the first one, or one marked `is_default`, becomes the default."""
    values = address_normalize(fields)
    is_default = _is_default_clean(is_default)

    def run():
        with transaction.atomic():
            _lock_user(user)
            existing = Address.objects.filter(user=user)
            if existing.count() >= ADDRESS_BOOK_LIMIT:
                raise AddressBookFull()
            make_default = is_default or not existing.exists()
            if make_default:
                existing.filter(is_default=True).update(is_default=False)
            return Address.objects.create(user=user, is_default=make_default, **values)

    return with_lock_retry(run, label=f"address book of user {user.pk}")


def address_update(*, user, address_id: int, **changes) -> Address:
    """Change some fields of the user's address; the whole address is checked again as it will be."""
    is_default = changes.pop("is_default", None)
    if is_default is not None:
        _is_default_clean(is_default)

    def run():
        with transaction.atomic():
            _lock_user(user)
            address = address_get_for_user(user=user, address_id=address_id)
            current = address_snapshot(address)
            values = address_normalize({**current, **changes})
            for field, value in values.items():
                setattr(address, field, value)
            if is_default is True and not address.is_default:
                Address.objects.filter(user=user, is_default=True).update(is_default=False)
            if is_default is not None:
                address.is_default = is_default
            address.save()
            return address

    return with_lock_retry(run, label=f"address {address_id} of user {user.pk}")


def address_delete(*, user, address_id: int) -> None:
    """Delete the address (orders keep their own copy); if it was the default, the oldest remaining
    address becomes the default."""

    def run():
        with transaction.atomic():
            _lock_user(user)
            address = address_get_for_user(user=user, address_id=address_id)
            was_default = address.is_default
            address.delete()
            if was_default:
                successor = Address.objects.filter(user=user).order_by("id").first()
                if successor is not None:
                    Address.objects.filter(pk=successor.pk).update(is_default=True)

    with_lock_retry(run, label=f"address {address_id} of user {user.pk}")


def addresses_forget(*, user) -> None:
    """The whole address book goes (closing an account); orders keep their own snapshots."""
    Address.objects.filter(user=user).delete()
