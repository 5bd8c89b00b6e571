"""GET/POST/PUT/PATCH /api/genres/: anyone reads, staff write, genres nest without cycles."""

import pytest

from catalog.factories import GenreFactory
from catalog.models import Genre

pytestmark = pytest.mark.django_db


def test_anyone_lists_genres_with_their_parent(api_client):
    fiction = GenreFactory(name="Fiction", slug="fiction")
    crime = GenreFactory(name="Crime", slug="crime", parent=fiction)

    response = api_client.get("/api/genres/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert sorted(response.json()["results"], key=lambda genre: genre["id"]) == [
        {"id": fiction.pk, "name": "Fiction", "slug": "fiction", "parent": None},
        {"id": crime.pk, "name": "Crime", "slug": "crime", "parent": fiction.pk},
    ]


def test_genre_list_answers_without_trailing_slash(api_client):
    GenreFactory()

    response = api_client.get("/api/genres")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_anyone_reads_one_genre(api_client):
    genre = GenreFactory(name="Poetry", slug="poetry")

    response = api_client.get(f"/api/genres/{genre.pk}/")

    assert response.status_code == 200
    assert response.json() == {"id": genre.pk, "name": "Poetry", "slug": "poetry", "parent": None}


def test_staff_creates_a_nested_genre(staff_client):
    fiction = GenreFactory(slug="fiction")

    response = staff_client.post(
        "/api/genres/", {"name": "Crime", "slug": "crime", "parent": fiction.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    created = Genre.objects.get(slug="crime")
    assert response.json() == {"id": created.pk, "name": "Crime", "slug": "crime", "parent": fiction.pk}
    assert created.parent == fiction


def test_staff_creates_a_top_level_genre_without_parent(staff_client):
    response = staff_client.post("/api/genres", {"name": "Poetry", "slug": "poetry"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["parent"] is None
    assert Genre.objects.get(slug="poetry").parent is None


def test_customer_cannot_create_a_genre(user_client):
    response = user_client.post("/api/genres/", {"name": "Crime", "slug": "crime"}, format="json")

    assert response.status_code == 403
    assert not Genre.objects.exists()


def test_anonymous_cannot_create_a_genre(api_client):
    response = api_client.post("/api/genres/", {"name": "Crime", "slug": "crime"}, format="json")

    assert response.status_code == 401
    assert not Genre.objects.exists()


def test_customer_cannot_rename_a_genre(user_client):
    genre = GenreFactory(name="Crime")

    response = user_client.patch(f"/api/genres/{genre.pk}/", {"name": "Thrillers"}, format="json")

    assert response.status_code == 403
    genre.refresh_from_db()
    assert genre.name == "Crime"


def test_duplicate_slug_is_refused(staff_client):
    GenreFactory(name="Crime", slug="crime")

    response = staff_client.post("/api/genres/", {"name": "Crime 2", "slug": "crime"}, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()
    assert Genre.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "slug": "empty-name"}, "name"),
        ({"name": "Bad slug", "slug": "not a slug!"}, "slug"),
        ({"name": "Orphan", "slug": "orphan", "parent": 999999}, "parent"),
        ({"name": "Orphan", "slug": "orphan", "parent": "fiction"}, "parent"),
    ],
)
def test_invalid_genre_is_refused(staff_client, payload, field):
    response = staff_client.post("/api/genres/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Genre.objects.exists()


def test_staff_moves_a_genre_under_another(staff_client):
    fiction = GenreFactory(slug="fiction")
    crime = GenreFactory(name="Crime", slug="crime")

    response = staff_client.patch(f"/api/genres/{crime.pk}/", {"parent": fiction.pk}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"id": crime.pk, "name": "Crime", "slug": "crime", "parent": fiction.pk}
    crime.refresh_from_db()
    assert crime.parent == fiction


def test_staff_replaces_a_genre_with_put(staff_client):
    fiction = GenreFactory(slug="fiction")
    crime = GenreFactory(name="Crime", slug="crime", parent=fiction)

    response = staff_client.put(
        f"/api/genres/{crime.pk}/", {"name": "Crime fiction", "slug": "crime-fiction"}, format="json"
    )

    assert response.status_code == 200, response.content
    crime.refresh_from_db()
    assert (crime.name, crime.slug) == ("Crime fiction", "crime-fiction")


def test_genre_cannot_be_its_own_parent(staff_client):
    genre = GenreFactory()

    response = staff_client.patch(f"/api/genres/{genre.pk}/", {"parent": genre.pk}, format="json")

    assert response.status_code == 400
    assert "parent" in response.json()
    genre.refresh_from_db()
    assert genre.parent is None


def test_genre_cannot_be_moved_under_its_own_descendant(staff_client):
    top = GenreFactory(slug="top")
    middle = GenreFactory(slug="middle", parent=top)
    bottom = GenreFactory(slug="bottom", parent=middle)

    response = staff_client.patch(f"/api/genres/{top.pk}/", {"parent": bottom.pk}, format="json")

    assert response.status_code == 400
    assert "parent" in response.json()
    top.refresh_from_db()
    assert top.parent is None
    # The tree is untouched, so listing and filtering can still walk it.
    assert list(Genre.objects.filter(parent=top)) == [middle]


def test_genres_cannot_be_deleted_through_the_api(staff_client):
    genre = GenreFactory()

    response = staff_client.delete(f"/api/genres/{genre.pk}/")

    assert response.status_code == 405
    assert Genre.objects.filter(pk=genre.pk).exists()


def test_unknown_genre_is_404(api_client):
    assert api_client.get("/api/genres/999999/").status_code == 404
