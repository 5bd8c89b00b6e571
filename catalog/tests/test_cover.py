"""POST /api/books/{id}/cover/: staff upload a JPEG, PNG or WebP that really decodes, at most 5 MB."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.factories import BookFactory
from catalog.models import Book

pytestmark = pytest.mark.django_db

FIVE_MB = 5 * 1024 * 1024


def image_bytes(image_format: str, size=(40, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 50).convert("RGB").save(buffer, image_format)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def post_cover(client, book, file):
    return client.post(f"/api/books/{book.pk}/cover/", {"image": file}, format="multipart")


@pytest.mark.parametrize(
    ("image_format", "extension", "content_type"),
    [("JPEG", "jpg", "image/jpeg"), ("PNG", "png", "image/png"), ("WEBP", "webp", "image/webp")],
)
def test_staff_uploads_a_cover(staff_client, image_format, extension, content_type):
    book = BookFactory()
    content = image_bytes(image_format)

    response = post_cover(staff_client, book, upload(f"my holiday photo.{extension}", content, content_type))

    assert response.status_code == 200, response.content
    book.refresh_from_db()
    name = Path(book.cover.name)
    assert name.parent == Path("covers")
    assert name.suffix == f".{extension}"
    assert "holiday" not in name.name
    assert len(name.stem) == 32  # a generated hex name, not the client's
    assert response.json() == {"cover_url": f"http://testserver/media/{book.cover.name}"}
    stored = Path(settings.MEDIA_ROOT) / book.cover.name
    assert stored.read_bytes() == content
    assert stored_files() == [stored]


def test_cover_url_appears_on_the_book(staff_client, api_client):
    book = BookFactory()
    cover_url = post_cover(staff_client, book, upload("c.png", image_bytes("PNG"))).json()["cover_url"]

    assert api_client.get(f"/api/books/{book.pk}/").json()["cover_url"] == cover_url
    assert api_client.get("/api/books/").json()["results"][0]["cover_url"] == cover_url


def test_extension_follows_the_real_format_not_the_filename(staff_client):
    book = BookFactory()

    response = post_cover(staff_client, book, upload("cover.jpg", image_bytes("PNG"), "image/jpeg"))

    assert response.status_code == 200, response.content
    book.refresh_from_db()
    assert book.cover.name.endswith(".png")


def test_uploaded_path_cannot_escape_the_covers_folder(staff_client):
    book = BookFactory()

    response = post_cover(staff_client, book, upload("../../../etc/evil.jpg", image_bytes("JPEG")))

    assert response.status_code == 200, response.content
    book.refresh_from_db()
    assert Path(book.cover.name).parent == Path("covers")
    assert [path.parent.name for path in stored_files()] == ["covers"]


def test_a_new_cover_replaces_and_removes_the_old_file(staff_client):
    book = BookFactory()
    post_cover(staff_client, book, upload("first.jpg", image_bytes("JPEG")))
    book.refresh_from_db()
    first = Path(settings.MEDIA_ROOT) / book.cover.name

    response = post_cover(staff_client, book, upload("second.webp", image_bytes("WEBP")))

    assert response.status_code == 200, response.content
    book.refresh_from_db()
    second = Path(settings.MEDIA_ROOT) / book.cover.name
    assert second != first
    assert stored_files() == [second]


def _truncated_png() -> bytes:
    content = image_bytes("PNG", size=(80, 80))
    return content[: len(content) // 2]


def _svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<rect width="10" height="10" fill="red"/></svg>'
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.jpg", b"This is a plain text file, not a picture.\n" * 20, "image/jpeg"),
        ("cut.png", _truncated_png(), "image/png"),
        ("cut.jpg", image_bytes("JPEG", size=(80, 80))[:600], "image/jpeg"),
        ("anim.gif", image_bytes("GIF"), "image/gif"),
        ("bitmap.bmp", image_bytes("BMP"), "image/bmp"),
        ("logo.svg", _svg(), "image/svg+xml"),
        ("logo.png", _svg(), "image/png"),
        ("empty.png", b"", "image/png"),
    ],
    ids=["text-as-jpg", "truncated-png", "truncated-jpeg", "gif", "bmp", "svg", "svg-as-png", "empty"],
)
def test_anything_but_a_decodable_jpeg_png_or_webp_is_400(staff_client, name, content, content_type):
    book = BookFactory()

    response = post_cover(staff_client, book, upload(name, content, content_type))

    assert response.status_code == 400
    assert list(response.json()) == ["image"]
    book.refresh_from_db()
    assert book.cover.name == ""
    assert stored_files() == []


def test_rejected_upload_keeps_the_existing_cover(staff_client):
    book = BookFactory()
    post_cover(staff_client, book, upload("good.png", image_bytes("PNG")))
    book.refresh_from_db()
    existing = book.cover.name

    response = post_cover(staff_client, book, upload("bad.jpg", b"not an image"))

    assert response.status_code == 400
    book.refresh_from_db()
    assert book.cover.name == existing
    assert stored_files() == [Path(settings.MEDIA_ROOT) / existing]


def test_cover_over_five_megabytes_is_413_and_nothing_is_stored(staff_client):
    book = BookFactory()
    # A real JPEG padded past the limit: only its size is wrong.
    content = image_bytes("JPEG")
    content += b"\0" * (FIVE_MB + 1 - len(content))

    response = post_cover(staff_client, book, upload("huge.jpg", content, "image/jpeg"))

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    book.refresh_from_db()
    assert book.cover.name == ""
    assert stored_files() == []


def test_cover_of_exactly_five_megabytes_is_accepted(staff_client):
    book = BookFactory()
    content = image_bytes("JPEG")
    content += b"\0" * (FIVE_MB - len(content))

    response = post_cover(staff_client, book, upload("big.jpg", content, "image/jpeg"))

    assert response.status_code == 200, response.content
    book.refresh_from_db()
    assert (Path(settings.MEDIA_ROOT) / book.cover.name).stat().st_size == FIVE_MB


def test_missing_image_field_is_400(staff_client):
    book = BookFactory()

    response = staff_client.post(f"/api/books/{book.pk}/cover/", {"file": "x"}, format="multipart")

    assert response.status_code == 400
    assert "image" in response.json()
    assert stored_files() == []


def test_json_body_is_refused(staff_client):
    book = BookFactory()

    response = staff_client.post(f"/api/books/{book.pk}/cover/", {"image": "aGVsbG8="}, format="json")

    assert response.status_code == 415
    book.refresh_from_db()
    assert book.cover.name == ""


def test_customer_cannot_upload_a_cover(user_client):
    book = BookFactory()

    response = post_cover(user_client, book, upload("c.jpg", image_bytes("JPEG")))

    assert response.status_code == 403
    book.refresh_from_db()
    assert book.cover.name == ""
    assert stored_files() == []


def test_anonymous_cannot_upload_a_cover(api_client):
    book = BookFactory()

    response = post_cover(api_client, book, upload("c.jpg", image_bytes("JPEG")))

    assert response.status_code == 401
    book.refresh_from_db()
    assert book.cover.name == ""
    assert stored_files() == []


@pytest.mark.parametrize("active", [True, False], ids=["unknown", "removed"])
def test_cover_for_a_missing_book_is_404(staff_client, active):
    book = BookFactory(is_active=active)
    url = f"/api/books/{book.pk + 1000 if active else book.pk}/cover/"

    response = staff_client.post(url, {"image": upload("c.jpg", image_bytes("JPEG"))}, format="multipart")

    assert response.status_code == 404
    assert stored_files() == []
    assert not Book.objects.exclude(cover="").exists()
