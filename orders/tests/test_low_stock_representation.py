"""The low-stock report's book (LowStockBookSerializer) extends the catalog's direct book JSON: it must
still say what DRF's field-by-field path says, its own field last."""

import pytest

from catalog.tests.test_book_representation import assert_drfs_own_representation
from orders.serializers import LowStockBookSerializer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("with_request", [True, False], ids=["request", "no-request"])
def test_the_low_stock_book_is_drfs_own_representation(with_request):
    assert_drfs_own_representation(LowStockBookSerializer, with_request=with_request)
