"""genre_tree nests genres for the navigation; genre_path gives a genre's breadcrumb trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.factories import GenreFactory
from catalog.selectors import genre_path, genre_tree

pytestmark = pytest.mark.django_db


def test_genre_tree_nests_children_under_parents_by_name_in_one_query():
    fiction = GenreFactory(name="Fiction")
    history = GenreFactory(name="History")
    sf = GenreFactory(name="Science fiction", parent=fiction)
    fantasy = GenreFactory(name="Fantasy", parent=fiction)
    epic = GenreFactory(name="Epic fantasy", parent=fantasy)

    with CaptureQueriesContext(connection) as queries:
        tree = genre_tree()

    assert len(queries) == 1
    assert [node.genre for node in tree] == [fiction, history]
    assert [node.genre for node in tree[0].children] == [fantasy, sf]
    assert [node.genre for node in tree[0].children[0].children] == [epic]
    assert tree[1].children == []


def test_genre_tree_is_empty_without_genres():
    assert genre_tree() == []


def test_genre_path_runs_from_the_top_level_down(django_assert_num_queries):
    fiction = GenreFactory(name="Fiction")
    fantasy = GenreFactory(name="Fantasy", parent=fiction)
    epic = GenreFactory(name="Epic fantasy", parent=fantasy)

    with django_assert_num_queries(1):  # whatever the depth
        assert genre_path(epic) == [fiction, fantasy, epic]
    with django_assert_num_queries(0):
        assert genre_path(fiction) == [fiction]
