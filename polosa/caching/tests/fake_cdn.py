"""A frontend-cache backend that records what it was asked to purge, for the tests."""

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

purged: list[str] = []


class RecordingBackend(BaseBackend):
    def purge(self, url) -> None:
        purged.append(url)


class BrokenBackend(BaseBackend):
    def purge(self, url) -> None:
        raise ConnectionError("CDN API unreachable")
