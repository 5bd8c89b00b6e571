"""Address validation and normalisation (accounts.addresses): per-country examples, then Hypothesis."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.addresses import (
    ADDRESS_FIELDS,
    ADDRESS_MAX_LENGTHS,
    ADDRESS_REQUIRED_FIELDS,
    address_normalize,
    country_choices,
)

STREET = {"full_name": "Ada Lovelace", "line1": "12 Analytical Row", "city": "Springfield"}


def normalize(**fields) -> dict[str, str]:
    return address_normalize({**STREET, **fields})


def errors_of(**fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        address_normalize({**STREET, **fields})
    return caught.value.message_dict


# --- postal codes of the countries the contract names -------------------------------------------------


@pytest.mark.parametrize(
    ("country", "region", "typed", "normalized"),
    [
        ("US", "CA", "90210", "90210"),
        ("US", "CA", "90210-1234", "90210-1234"),
        ("US", "CA", "90210 1234", "90210-1234"),
        ("CA", "ON", "k1a0b1", "K1A 0B1"),
        ("CA", "ON", "K1A 0B1", "K1A 0B1"),
        ("GB", "", "sw1a1aa", "SW1A 1AA"),
        ("GB", "", "  ec1a   1bb ", "EC1A 1BB"),
        ("GB", "", "m25bq", "M2 5BQ"),
        ("GB", "", "cr26xh", "CR2 6XH"),
        ("GB", "", "GIR0AA", "GIR 0AA"),
        ("DE", "", "10115", "10115"),
        ("FR", "", "75008", "75008"),
        ("FR", "", "75 008", "75008"),
        ("NL", "", "1234ab", "1234 AB"),
        ("NL", "", "1234 ab", "1234 AB"),
        ("AU", "NSW", "2000", "2000"),
    ],
)
def test_valid_postal_codes_are_written_the_countrys_way(country, region, typed, normalized):
    assert normalize(country=country, region=region, postal_code=typed)["postal_code"] == normalized


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("US", "9021", "Enter a valid ZIP code for United States of America, such as 95014."),
        ("US", "902101", None),
        ("US", "ABCDE", None),
        ("US", "٩٠٢١٠", None),  # Arabic-Indic digits match \d, not a ZIP code
        ("CA", "D1A 0B1", "Enter a valid postal code for Canada, such as H3Z 2Y7."),  # no D in first place
        ("CA", "K1A0B", None),
        ("GB", "SW1A 1A", "Enter a valid postal code for United Kingdom, such as EC1Y 8SY."),
        ("GB", "QQ1 1AA", None),  # no QQ postcode area
        ("GB", "12345", None),
        ("DE", "1011", "Enter a valid postal code for Germany, such as 26133."),
        ("DE", "101150", None),
        ("FR", "7500", "Enter a valid postal code for France, such as 33380."),
        ("NL", "0123 AB", "Enter a valid postal code for Netherlands, such as 1234 AB."),
        ("NL", "1234 SA", None),  # SA, SD and SS are not used
        ("NL", "1234", None),
        ("AU", "200", "Enter a valid postal code for Australia, such as 2060."),
        ("AU", "20000", None),
    ],
)
def test_invalid_postal_codes_are_refused_with_an_example(country, typed, message):
    errors = errors_of(country=country, postal_code=typed)
    assert list(errors) == ["postal_code"]
    if message:
        assert errors["postal_code"] == [message]


@pytest.mark.parametrize("country", ["US", "CA", "GB", "DE", "FR", "NL", "AU"])
def test_the_contracts_countries_require_a_postal_code(country):
    assert errors_of(country=country, postal_code="  ") == {"postal_code": ["This field is required."]}


def test_a_country_whose_addresses_have_no_postal_code_does_not_require_one():
    assert normalize(country="HK", region="Kowloon", postal_code="")["postal_code"] == ""
    assert normalize(country="IE", postal_code="")["postal_code"] == ""
    # Given anyway: Hong Kong's is kept as typed, Ireland's Eircode is still checked.
    assert normalize(country="HK", postal_code="999077")["postal_code"] == "999077"
    assert normalize(country="IE", postal_code="a65 f4e2")["postal_code"] == "A65 F4E2"
    assert list(errors_of(country="IE", postal_code="A65")) == ["postal_code"]


def test_other_countries_use_the_librarys_layout_too():
    assert normalize(country="PL", postal_code="00950")["postal_code"] == "00-950"
    assert normalize(country="JP", postal_code="1540023", region="Tokyo")["postal_code"] == "154-0023"


# --- regions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "typed", "code"),
    [
        ("US", "CA", "CA"),
        ("US", "California", "CA"),
        ("US", " california ", "CA"),
        ("US", "ca", "CA"),
        ("CA", "Québec", "QC"),
        ("CA", "quebec", "QC"),
        ("AU", "new south wales", "NSW"),
    ],
)
def test_a_region_from_the_librarys_list_is_normalised_to_its_code(country, typed, code):
    postal_code = {"US": "90210", "CA": "H3Z 2Y7", "AU": "2000"}[country]
    assert normalize(country=country, region=typed, postal_code=postal_code)["region"] == code


def test_an_unknown_state_is_refused_where_the_library_lists_them():
    assert errors_of(country="US", region="Narnia", postal_code="90210") == {
        "region": ["Enter a state of United States of America by name or code, such as Alabama or AL."]
    }


def test_the_message_names_the_countrys_kind_of_region():
    assert errors_of(country="HK", region="Atlantis")["region"][0].startswith("Enter an area of Hong Kong")
    assert errors_of(country="CA", region="Atlantis", postal_code="K1A 0B1")["region"][0].startswith(
        "Enter a province of Canada"
    )


def test_a_region_is_optional_and_kept_as_typed_where_the_library_needs_none():
    assert normalize(country="US", region="", postal_code="90210")["region"] == ""
    assert normalize(country="DE", region="Bayern", postal_code="80331")["region"] == "Bayern"
    assert (
        normalize(country="GB", region=" Greater London ", postal_code="SW1A 1AA")["region"]
        == "Greater London"
    )


# --- countries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["XX", "USA", "840", "U", "U S", "ÜS", "ZZ"])
def test_an_unknown_country_is_refused(country):
    assert errors_of(country=country, postal_code="12345") == {
        "country": ["Enter a two-letter ISO 3166-1 country code, such as US, GB or DE."]
    }


def test_country_codes_are_upper_cased_and_stripped():
    assert normalize(country=" gb ", postal_code="sw1a1aa")["country"] == "GB"


def test_country_choices_come_from_django_countries():
    choices = country_choices()
    assert ("US", "United States of America") in choices
    assert ("GB", "United Kingdom") in choices
    assert len(choices) > 240
    assert all(len(code) == 2 and code.isupper() for code, _ in choices)


# --- required fields, lengths, whitespace, types -------------------------------------------------------


def test_every_missing_required_field_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        address_normalize({})
    assert caught.value.message_dict == {key: ["This field is required."] for key in ADDRESS_REQUIRED_FIELDS}


def test_blank_counts_as_missing():
    errors = errors_of(full_name="   ", line1="\t", city="", country="GB", postal_code="SW1A 1AA")
    assert errors == {key: ["This field is required."] for key in ["full_name", "line1", "city"]}


def test_optional_fields_default_to_empty_text_and_other_keys_are_dropped():
    cleaned = address_normalize(
        {**STREET, "country": "DE", "postal_code": "10115", "id": 7, "is_default": True, "phone": None}
    )
    assert cleaned == {
        **STREET,
        "line2": "",
        "region": "",
        "postal_code": "10115",
        "country": "DE",
        "phone": "",
    }
    assert tuple(cleaned) == ADDRESS_FIELDS


@pytest.mark.parametrize(
    "field", [field for field in ADDRESS_MAX_LENGTHS if field not in {"country", "postal_code"}]
)
def test_over_long_fields_are_refused(field):
    limit = ADDRESS_MAX_LENGTHS[field]
    address = {**STREET, "country": "DE", "postal_code": "10115"}
    assert address_normalize({**address, field: "x" * limit})[field] == "x" * limit
    assert errors_of(**{**address, field: "x" * (limit + 1)}) == {
        field: [f"Ensure this field has no more than {limit} characters."]
    }


def test_an_over_long_postal_code_is_refused_where_no_format_is_known():
    assert normalize(country="HK", postal_code="9" * 20)["postal_code"] == "9" * 20
    assert errors_of(country="HK", postal_code="9" * 21) == {
        "postal_code": ["Ensure this field has no more than 20 characters."]
    }
    # Upper-casing "ß" doubles it; the limit holds for the text that would be stored.
    assert list(errors_of(country="HK", postal_code="ß" * 11)) == ["postal_code"]


def test_whitespace_is_stripped_from_every_field():
    cleaned = address_normalize(
        {
            "full_name": "  Ada Lovelace ",
            "line1": " 1 Main St ",
            "line2": "  ",
            "city": " Paris ",
            "region": " Île-de-France ",
            "postal_code": " 75008 ",
            "country": " fr ",
            "phone": " +33 1 23 45 67 89 ",
        }
    )
    assert cleaned == {
        "full_name": "Ada Lovelace",
        "line1": "1 Main St",
        "line2": "",
        "city": "Paris",
        "region": "Île-de-France",
        "postal_code": "75008",
        "country": "FR",
        "phone": "+33 1 23 45 67 89",
    }


def test_line_breaks_and_control_characters_inside_a_field_are_refused():
    assert errors_of(line1="12 Analytical\nRow", country="DE", postal_code="10115") == {
        "line1": ["Remove the line breaks, tabs and other control characters."]
    }
    assert list(errors_of(city="Spring\x00field", country="DE", postal_code="10115")) == ["city"]


def test_a_number_is_taken_as_text_and_other_types_are_refused():
    assert normalize(country="US", region="CA", postal_code=90210)["postal_code"] == "90210"
    assert errors_of(country="US", postal_code=["90210"], full_name={"a": 1}, city=True) == {
        "postal_code": ["Not a valid string."],
        "full_name": ["Not a valid string."],
        "city": ["Not a valid string."],
    }


def test_a_postal_code_is_not_judged_without_a_valid_country():
    assert errors_of(country="XX", postal_code="anything") == {
        "country": ["Enter a two-letter ISO 3166-1 country code, such as US, GB or DE."]
    }
    assert set(errors_of(country="", postal_code="")) == {"country", "postal_code"}


# --- properties ----------------------------------------------------------------------------------------

COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL", "AU", "IE", "HK", "JP", "PL", "BR", "XX", "", "gb", "us"]
values = st.one_of(
    st.text(max_size=250),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTVWXYZabcdefghijklmnopqrstuvwxyz -ßÜ٩\n", max_size=12),
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
)
addresses = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(ADDRESS_FIELDS, values),
        "country": st.one_of(st.sampled_from(COUNTRIES), values),
        "region": st.one_of(st.sampled_from(["CA", "california", "ON", "NSW", "Tokyo", "Kowloon"]), values),
        "postal_code": st.one_of(
            st.sampled_from(["sw1a1aa", "k1a0b1", "1234ab", "2000", "75008", "10115", "90210-1234"]), values
        ),
    },
)


@settings(max_examples=400, deadline=None, database=None)
@given(address=addresses)
def test_any_input_is_cleaned_or_refused_with_field_errors_and_cleaning_twice_changes_nothing(address):
    try:
        cleaned = address_normalize(address)
    except ValidationError as error:
        assert error.message_dict
        assert set(error.message_dict) <= set(ADDRESS_FIELDS)
        assert all(
            messages and all(isinstance(m, str) for m in messages) for messages in error.message_dict.values()
        )
        return
    assert tuple(cleaned) == ADDRESS_FIELDS
    for field, value in cleaned.items():
        assert isinstance(value, str)
        assert value == value.strip()
        assert len(value) <= ADDRESS_MAX_LENGTHS[field]
    assert address_normalize(cleaned) == cleaned
