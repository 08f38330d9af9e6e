"""Purging the edge by dependency key (surrogate keys), the way Varnish, Fastly and Cloudflare allow.

Every cacheable response names its dependency keys in a header (``POLOSA_SURROGATE_KEY_HEADER``:
``xkey``, ``Surrogate-Key`` or ``Cache-Tag``). When keys are invalidated (after the change commits),
the same keys are purged at the edge, so exactly the pages and fragments that showed the change
leave it, whatever their URL — no list of URLs to work out, and nothing else purged.

One backend per edge, chosen by ``CDN_PURGE_BACKEND`` (see `polosa.caching.conf`):

    varnish     CDN_PURGE_LOCATION=http://127.0.0.1:6081[,http://other:6081]  (vmod-xkey, docs/deploy)
    fastly      FASTLY_SERVICE_ID, FASTLY_API_TOKEN
    cloudflare  CLOUDFLARE_ZONE_ID, CLOUDFLARE_BEARER_TOKEN (purge by Cache-Tag)

A purge that fails (the edge is down, refuses, times out) is logged and never fails the publish: the
page cache is already correct, and the edge drops the page after ``s-maxage`` anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PurgeError(Exception):
    pass


class KeyPurger:
    """An edge that can drop everything tagged with some keys. Subclasses implement `purge_keys`."""

    #: Purged right after the commit in the publishing process (a nearby edge answers in a
    #: millisecond), rather than by the worker: publish-to-visible must stay under a second.
    inline = True
    #: How many keys one request may carry.
    batch = 256

    def __init__(self, **options) -> None:
        self.options = options

    def purge_keys(self, keys: Sequence[str]) -> None:
        raise NotImplementedError


class VarnishPurger(KeyPurger):
    """``PURGE /`` with an ``xkey-purge`` header to each Varnish (docs/deploy/varnish.vcl)."""

    def __init__(self, LOCATIONS: Sequence[str], TIMEOUT: float = 2.0, **options) -> None:
        super().__init__(**options)
        self.locations = list(LOCATIONS)
        self.timeout = TIMEOUT

    def purge_keys(self, keys: Sequence[str]) -> None:
        import requests

        failures = []
        for location in self.locations:
            try:
                response = requests.request(
                    "PURGE",
                    location.rstrip("/") + "/",
                    headers={"xkey-purge": " ".join(keys)},
                    timeout=self.timeout,
                )
            except requests.RequestException as error:
                failures.append(f"{location}: {error}")
                continue
            if response.status_code != 200:
                failures.append(f"{location}: HTTP {response.status_code} {response.text[:200]!r}")
            else:
                logger.debug("varnish %s purged %s objects", location, response.headers.get("X-Purged", "?"))
        if failures:
            raise PurgeError("; ".join(failures))


class FastlyPurger(KeyPurger):
    """Fastly's bulk purge by surrogate key (one API call per 256 keys)."""

    inline = False
    batch = 256
    api = "https://api.fastly.com"

    def __init__(self, SERVICE_ID: str, API_TOKEN: str, TIMEOUT: float = 10.0, **options) -> None:
        super().__init__(**options)
        self.service_id, self.token, self.timeout = SERVICE_ID, API_TOKEN, TIMEOUT

    def purge_keys(self, keys: Sequence[str]) -> None:
        import requests

        response = requests.post(
            f"{self.api}/service/{self.service_id}/purge",
            headers={"Fastly-Key": self.token, "Surrogate-Key": " ".join(keys), "Accept": "application/json"},
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise PurgeError(f"Fastly answered HTTP {response.status_code}: {response.text[:200]!r}")


class CloudflarePurger(KeyPurger):
    """Cloudflare's purge by Cache-Tag (up to 30 tags per call)."""

    inline = False
    batch = 30
    api = "https://api.cloudflare.com/client/v4"

    def __init__(self, ZONE_ID: str, BEARER_TOKEN: str, TIMEOUT: float = 10.0, **options) -> None:
        super().__init__(**options)
        self.zone_id, self.token, self.timeout = ZONE_ID, BEARER_TOKEN, TIMEOUT

    def purge_keys(self, keys: Sequence[str]) -> None:
        import requests

        response = requests.post(
            f"{self.api}/zones/{self.zone_id}/purge_cache",
            headers={"Authorization": f"Bearer {self.token}"},
            json={"tags": list(keys)},
            timeout=self.timeout,
        )
        if response.status_code != 200 or not response.json().get("success"):
            raise PurgeError(f"Cloudflare answered HTTP {response.status_code}: {response.text[:200]!r}")


def purger() -> KeyPurger | None:
    config = dict(getattr(settings, "POLOSA_KEY_PURGE", None) or {})
    if not config:
        return None
    backend = import_string(config.pop("BACKEND"))
    return backend(**config)


def edge_keys(keys: Iterable[str]) -> list[str]:
    prefix = settings.POLOSA_SURROGATE_KEY_PREFIX
    return sorted(prefix + k for k in set(keys))


def purge_now(keys: Iterable[str], backend: KeyPurger | None = None) -> bool:
    """Purge `keys` at the edge; False (and a log line) when the edge did not take it."""
    backend = backend or purger()
    if backend is None:
        return True
    names = edge_keys(keys)
    ok = True
    for start in range(0, len(names), backend.batch):
        chunk = names[start : start + backend.batch]
        try:
            backend.purge_keys(chunk)
        except Exception as error:
            ok = False
            logger.error(
                "edge purge of %d keys failed (%s); those pages leave the edge after s-maxage: %s",
                len(chunk),
                error,
                " ".join(chunk[:20]),
            )
    if ok:
        logger.info("edge purged %d keys", len(names))
    return ok


def on_keys_invalidated(sender, keys, **kwargs) -> None:
    """Receiver of `keys_invalidated`: purge inline, or queue the purge for the worker."""
    backend = purger()
    if backend is None or not keys:
        return
    if backend.inline:
        purge_now(keys, backend)
        return
    from .tasks import purge_edge_keys

    try:
        purge_edge_keys.enqueue(sorted(keys))
    except Exception:
        logger.exception("could not queue the edge purge of %d keys; purging now", len(keys))
        purge_now(keys, backend)
