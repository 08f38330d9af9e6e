"""Which uploads readers fetch straight from disk, and where."""

from pathlib import Path

from django.conf import settings

# Wagtail's original images and their renditions. Not the documents: Wagtail's document view checks a
# private collection's restrictions before it sends one, so they never get a public address of a file.
PUBLIC_UPLOAD_FOLDERS = ("images", "original_images")


def public_uploads() -> list[tuple[str, Path]]:
    """(address prefix, folder) of each public upload folder, for granian to serve from disk itself
    under `make run` and `make serve`, so Django's development-only file view is not what answers
    readers. Empty when uploads live in object storage (SERVE_MEDIA off) or under an absolute
    MEDIA_URL (a CDN serves them)."""
    prefix = settings.MEDIA_URL.rstrip("/")
    if not settings.SERVE_MEDIA or not prefix.startswith("/"):
        return []
    return [(f"{prefix}/{folder}", Path(settings.MEDIA_ROOT) / folder) for folder in PUBLIC_UPLOAD_FOLDERS]
