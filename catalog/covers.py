"""Cover image checks: the bytes must decode as a JPEG, PNG or WebP image of sane size."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from core.errors import PayloadTooLarge

EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# A cover never needs more; a small, highly compressed file must not make us decode a giant bitmap.
MAX_PIXELS = 40_000_000


def cover_validate(upload: UploadedFile) -> str:
    """Returns the file extension to store the cover under; raises for anything that is not an image."""
    if upload.size > settings.COVER_MAX_BYTES:
        raise PayloadTooLarge(f"The image is larger than {settings.COVER_MAX_BYTES // (1024 * 1024)} MB.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            too_big = image.width * image.height > MAX_PIXELS
            image.verify()
        if too_big:
            raise ValidationError({"image": [f"The image has more than {MAX_PIXELS:,} pixels."]})
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # verify() skips pixel data; a truncated file only fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"image": ["Upload a valid JPEG, PNG or WebP image."]}) from exc
    finally:
        upload.seek(0)
    if image_format not in EXTENSION_BY_FORMAT:
        raise ValidationError({"image": ["Only JPEG, PNG and WebP images are accepted."]})
    return EXTENSION_BY_FORMAT[image_format]


def cover_filename(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"
