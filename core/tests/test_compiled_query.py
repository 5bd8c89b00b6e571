"""CompiledQuery: the ORM's SQL written once, run with each call's values, giving what the ORM gives."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from core.compiled_query import CompiledQuery

pytestmark = pytest.mark.django_db


def _codenames(content_type_id):
    return (
        Permission.objects.filter(content_type_id=content_type_id)
        .order_by("codename")
        .values_list("codename")
    )


def test_each_call_gets_the_rows_the_orm_gives_for_its_own_values(django_assert_num_queries):
    builds = []

    def build(content_type_id):
        builds.append(content_type_id)
        return _codenames(content_type_id)

    query = CompiledQuery(build)
    first, second = ContentType.objects.order_by("pk")[:2]
    expected_first, expected_second = list(_codenames(first.pk)), list(_codenames(second.pk))
    assert expected_first and expected_second and expected_first != expected_second
    with django_assert_num_queries(1):
        assert query.rows(content_type_id=first.pk) == expected_first
    with django_assert_num_queries(1):
        assert query.rows(content_type_id=second.pk) == expected_second
    assert len(builds) == 1  # built and compiled once, with a stand-in value
    assert query.rows(content_type_id=0) == []
    assert query.first(content_type_id=0) is None


def test_several_arguments_one_of_them_used_twice():
    def build(low, high):
        return (
            Permission.objects.filter(pk__gte=low, pk__lte=high)
            .exclude(pk=low)
            .order_by("pk")
            .values_list("pk")
        )

    query = CompiledQuery(build)
    low = Permission.objects.order_by("pk").values_list("pk", flat=True)[0]
    expected = list(build(low, low + 3))
    assert len(expected) == 3
    assert query.rows(low=low, high=low + 3) == expected


def test_a_builder_that_does_not_pass_an_argument_on_as_it_is_is_refused(django_assert_num_queries):
    """Running such SQL with other values would silently answer for the stand-in: compiling it fails."""
    query = CompiledQuery(lambda ceiling: Permission.objects.filter(pk__lte=ceiling + 1))
    with django_assert_num_queries(0), pytest.raises(ValueError, match="ceiling"):
        query.rows(ceiling=3)
    assert query.compiled == {}


def test_missing_or_unknown_arguments_are_refused_before_any_query(django_assert_num_queries):
    query = CompiledQuery(_codenames)
    with django_assert_num_queries(0):
        with pytest.raises(TypeError):
            query.rows()
        with pytest.raises(TypeError):
            query.rows(content_type_id=1, other=2)
