"""The OpenAPI schema describes what the API really answers."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_an_admin_order_without_coupon_is_documented_as_null(schema):
    coupon = schema["components"]["schemas"]["AdminOrder"]["properties"]["coupon"]

    assert coupon["nullable"] is True


def test_the_low_stock_report_is_documented_as_a_page(schema):
    operation = schema["paths"]["/api/admin/reports/low-stock/"]["get"]

    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedBookList"
    }
    assert {"page", "page_size", "threshold"} <= {p["name"] for p in operation["parameters"]}
