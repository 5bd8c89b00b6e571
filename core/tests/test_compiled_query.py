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


def _permissions_of(content_type_id):
    return (
        Permission.objects.filter(content_type_id=content_type_id)
        .select_related("content_type")
        .order_by("pk")
    )


def test_instances_are_the_models_the_orm_gives_with_their_related_objects(django_assert_num_queries):
    query = CompiledQuery(_permissions_of)
    content_type = Permission.objects.order_by("pk").first().content_type
    expected = list(_permissions_of(content_type.pk))

    with django_assert_num_queries(1):  # the related objects came in the same row
        found = query.instances(content_type_id=content_type.pk)
        assert [(p.pk, p.codename, p.content_type.model) for p in found] == [
            (p.pk, p.codename, p.content_type.model) for p in expected
        ]
    assert found == expected and all(not p._state.adding and p._state.db == "default" for p in found)
    assert query.instances(content_type_id=0) == []


def test_a_text_argument_is_one_the_builder_says_is_text():
    def build(codename: str, content_type_id):
        return Permission.objects.filter(codename=codename, content_type_id=content_type_id)

    query = CompiledQuery(build)
    permission = Permission.objects.order_by("pk").first()

    found = query.instances(codename=permission.codename, content_type_id=permission.content_type_id)

    assert found == [permission]
    assert (
        query.instances(codename=permission.codename + "x", content_type_id=permission.content_type_id) == []
    )


def test_instances_of_values_or_annotated_rows_are_refused(django_assert_num_queries):
    from django.db.models import Count

    values = CompiledQuery(_codenames)
    annotated = CompiledQuery(lambda pk: Permission.objects.filter(pk=pk).annotate(groups=Count("group")))
    with django_assert_num_queries(0):
        with pytest.raises(TypeError, match="instances"):
            values.instances(content_type_id=1)
        with pytest.raises(TypeError, match="instances"):
            annotated.instances(pk=1)


def test_a_list_argument_is_compiled_once_per_length(django_assert_num_queries):
    builds = []

    def build(pks: list, content_type_id):
        builds.append(len(pks))
        return Permission.objects.filter(pk__in=pks, content_type_id=content_type_id).order_by("pk")

    query = CompiledQuery(build)
    content_type_id = ContentType.objects.get_for_model(Permission).pk
    three = list(Permission.objects.filter(content_type_id=content_type_id).order_by("pk")[:3])
    pks = [permission.pk for permission in three]
    assert len(pks) == 3

    with django_assert_num_queries(1):
        assert query.instances(pks=pks, content_type_id=content_type_id) == three
    assert query.instances(pks=pks[::-1], content_type_id=content_type_id) == three
    assert query.instances(pks=pks[:1], content_type_id=content_type_id) == three[:1]
    assert query.instances(pks=[pks[1], 0], content_type_id=content_type_id) == three[1:2]
    assert query.instances(pks=pks, content_type_id=0) == []
    assert builds == [3, 1, 2]  # once per length
    with django_assert_num_queries(0), pytest.raises(ValueError, match="empty"):
        query.rows(pks=[], content_type_id=content_type_id)


def test_limits_give_the_rows_of_the_querysets_slice_from_one_compiled_query(django_assert_num_queries):
    builds = []

    def build(content_type_id):
        builds.append(content_type_id)
        return Permission.objects.filter(content_type_id=content_type_id).order_by("-codename", "pk")

    query = CompiledQuery(build)
    content_type_id = ContentType.objects.get_for_model(Permission).pk
    every = list(build(content_type_id))
    assert len(every) == 4  # add, change, delete, view

    for low, high in [(0, 2), (1, 3), (2, 10), (0, 4)]:
        with django_assert_num_queries(1):
            assert query.instances(content_type_id=content_type_id, limits=(low, high)) == every[low:high]
    columns = [field.attname for field in Permission._meta.concrete_fields]
    expected_rows = list(build(content_type_id).values_list(*columns)[3:5])
    with django_assert_num_queries(1):
        assert query.rows(content_type_id=content_type_id, limits=(3, 5)) == expected_rows
    with django_assert_num_queries(0):  # an empty slice reads nothing, as a queryset's
        assert query.instances(content_type_id=content_type_id, limits=(2, 2)) == []
    assert len(builds) == 3  # compiled once; the others are the test's own


@pytest.mark.parametrize("limits", [(3, 1), (-1, 2), (0, "2"), (0, 2.0), (True, 2)])
def test_limits_that_are_no_slice_are_refused(limits, django_assert_num_queries):
    """They are written into the SQL: only whole numbers 0 <= low <= high get there."""
    query = CompiledQuery(lambda: Permission.objects.order_by("pk"))
    with django_assert_num_queries(0), pytest.raises(ValueError, match="limits"):
        query.instances(limits=limits)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Permission.objects.order_by("pk")[:2],
        lambda: Permission.objects.order_by("pk").select_for_update(),
    ],
    ids=["sliced already", "locking its rows"],
)
def test_limits_on_a_query_they_cannot_follow_are_refused(build, django_assert_num_queries):
    query = CompiledQuery(build)
    with django_assert_num_queries(0), pytest.raises(ValueError, match="limits need"):
        query.instances(limits=(0, 1))
