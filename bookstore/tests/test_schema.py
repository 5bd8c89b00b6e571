"""The OpenAPI schema documents every error answer, who may call each operation, and integer ids.

scripts/fuzz holds the live server to this schema; these tests pin the rules that make it true.
"""

import pytest
from drf_spectacular.drainage import get_override
from drf_spectacular.generators import SchemaGenerator

from accounts.serializers import RegisterSerializer
from cart.serializers import CartItemCreateSerializer
from catalog.factories import GenreFactory
from catalog.serializers import BookSerializer
from orders.serializers import CouponSerializer

ERROR_REF = {"$ref": "#/components/schemas/Error"}
BAD_REQUEST = {"oneOf": [{"$ref": "#/components/schemas/FieldErrors"}, ERROR_REF]}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def body_schema(response):
    return response["content"]["application/json"]["schema"]


def test_every_error_answer_is_the_shared_error_body(schema):
    checked = 0
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if int(status) < 400 or status == "414" or path == "/api/health/":
                continue
            expected = BAD_REQUEST if status == "400" else ERROR_REF
            assert body_schema(response) == expected, (method, path, status)
            checked += 1
    assert checked > 100


def test_error_components_describe_the_exception_handlers_bodies(schema):
    components = schema["components"]["schemas"]

    assert components["Error"]["required"] == ["detail", "code"]
    assert components["FieldErrors"]["type"] == "object"
    assert "additionalProperties" in components["FieldErrors"]


# The probe answers everyone; Stripe proves itself with a signature, not a token.
ANONYMOUS_BY_DESIGN = {"/api/health/", "/api/payments/webhook/"}


def test_every_authenticated_operation_documents_401_with_its_header(schema):
    for path, method, operation in operations(schema):
        if path in ANONYMOUS_BY_DESIGN:
            assert "401" not in operation["responses"]
            continue
        response = operation["responses"].get("401")
        assert response is not None, (method, path)
        assert response["headers"]["WWW-Authenticate"]["required"] is True


def test_every_path_id_is_a_bounded_integer(schema):
    ids = [
        parameter
        for _path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    ]

    assert len(ids) > 20
    for parameter in ids:
        assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}


def test_operations_with_a_body_document_400_and_415(schema):
    with_body = [(path, method, op) for path, method, op in operations(schema) if "requestBody" in op]

    assert len(with_body) > 15
    for path, method, operation in with_body:
        assert {"400", "415"} <= set(operation["responses"]), (method, path)


def test_operations_with_an_id_or_pages_document_404(schema):
    for path, method, operation in operations(schema):
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        if "{" in path or "page" in names:
            assert "404" in operation["responses"], (method, path)


def test_operations_with_query_parameters_document_gunicorns_414_page(schema):
    with_query = 0
    for path, method, operation in operations(schema):
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        assert ("414" in operation["responses"]) == has_query, (method, path)
        if has_query:
            assert operation["responses"]["414"]["content"] == {"text/html": {"schema": {"type": "string"}}}
            with_query += 1
    assert with_query >= 8


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/books/"),
        ("get", "/api/books/{id}/"),
        ("get", "/api/genres/"),
        ("post", "/api/auth/login/"),
    ],
)
def test_operations_open_to_anonymous_callers_say_so_and_refuse_nobody(schema, method, path):
    operation = schema["paths"][path][method]

    assert {} in operation["security"]
    assert "Staff only" not in operation["responses"].get("403", {}).get("description", "")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/books/"),
        ("patch", "/api/books/{id}/stock/"),
        ("get", "/api/admin/users/"),
        ("get", "/api/admin/reports/sales/"),
    ],
)
def test_staff_operations_need_a_token_and_refuse_customers(schema, method, path):
    operation = schema["paths"][path][method]

    assert {} not in operation["security"]
    assert operation["responses"]["403"]["description"].startswith("Staff only.")


def test_customer_operations_need_a_token_but_refuse_no_customer(schema):
    operation = schema["paths"]["/api/cart/"]["get"]

    assert {} not in operation["security"]
    assert "403" not in operation["responses"]


@pytest.mark.parametrize("path", ["/api/auth/register/", "/api/auth/password-reset/", "/api/auth/login/"])
def test_rate_limited_operations_document_429_with_retry_after(schema, path):
    response = schema["paths"][path]["post"]["responses"]["429"]

    assert body_schema(response) == ERROR_REF
    assert response["headers"]["Retry-After"]["required"] is True


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("post", "/api/orders/", "400", "cart_empty"),
        ("post", "/api/orders/", "409", "insufficient_stock"),
        ("post", "/api/orders/", "503", "busy"),
        ("post", "/api/orders/{id}/cancel/", "409", "invalid_transition"),
        ("patch", "/api/admin/orders/{id}/", "409", "invalid_transition"),
        ("post", "/api/cart/items/", "404", "not_found"),
        ("post", "/api/cart/items/", "409", "insufficient_stock"),
        ("patch", "/api/cart/items/{id}/", "409", "insufficient_stock"),
        ("post", "/api/books/{id}/cover/", "413", "too_large"),
        ("post", "/api/admin/users/{id}/deactivate/", "409", "invalid_transition"),
    ],
)
def test_business_refusals_are_documented_with_their_code(schema, method, path, status, code):
    response = schema["paths"][path][method]["responses"][status]

    assert f"`{code}`" in response["description"]


def test_an_admin_order_without_coupon_is_documented_as_null(schema):
    coupon = schema["components"]["schemas"]["AdminOrder"]["properties"]["coupon"]

    assert coupon["nullable"] is True


def test_the_low_stock_report_is_documented_as_a_page(schema):
    operation = schema["paths"]["/api/admin/reports/low-stock/"]["get"]

    assert body_schema(operation["responses"]["200"]) == {
        "$ref": "#/components/schemas/PaginatedLowStockBookList"
    }
    assert {"page", "page_size", "threshold"} <= {p["name"] for p in operation["parameters"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "serializer_class",
    [RegisterSerializer, BookSerializer, CouponSerializer, CartItemCreateSerializer],
    ids=lambda cls: cls.__name__,
)
def test_request_examples_are_valid_input(serializer_class):
    """The examples show people what to send, and give the fuzzer input that passes validation."""
    GenreFactory(slug="literary-fiction")
    examples = get_override(serializer_class, "examples")

    assert examples
    for example in examples:
        serializer = serializer_class(data=example.value)
        assert serializer.is_valid(), serializer.errors
