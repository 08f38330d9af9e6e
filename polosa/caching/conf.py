"""Building Wagtail's frontend-cache (CDN purge) settings from environment variables.

Imported by the settings module, so it imports nothing from Django.

    CDN_PURGE_BACKEND=varnish     CDN_PURGE_LOCATION=http://varnish:6081[,...] (purge by key, vmod-xkey)
    CDN_PURGE_BACKEND=fastly      FASTLY_SERVICE_ID, FASTLY_API_TOKEN (purge by surrogate key)
    CDN_PURGE_BACKEND=http        CDN_PURGE_LOCATION=http://varnish:6081 (a PURGE request per URL)
    CDN_PURGE_BACKEND=cloudflare  CLOUDFLARE_BEARER_TOKEN, CLOUDFLARE_ZONE_ID (by Cache-Tag and by URL)
    CDN_PURGE_BACKEND=cloudfront  CLOUDFRONT_DISTRIBUTION_ID (AWS credentials the usual boto3 way)
    CDN_PURGE_BACKEND=<dotted.path.Backend>  any Wagtail frontend-cache backend, no parameters
    CDN_PURGE_HOSTNAMES=news.example.com,www.news.example.com  (optional: which hosts it covers)
"""

from __future__ import annotations

from collections.abc import Callable

BACKENDS = {
    "http": ("wagtail.contrib.frontend_cache.backends.HTTPBackend", {"LOCATION": "CDN_PURGE_LOCATION"}),
    "cloudflare": (
        "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        {"BEARER_TOKEN": "CLOUDFLARE_BEARER_TOKEN", "ZONEID": "CLOUDFLARE_ZONE_ID"},
    ),
    "cloudfront": (
        "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        {"DISTRIBUTION_ID": "CLOUDFRONT_DISTRIBUTION_ID"},
    ),
}


class MissingSetting(ValueError):
    pass


# Edges that purge by dependency key (polosa.caching.edge): backend class and its variables.
KEY_BACKENDS = {
    "varnish": ("polosa.caching.edge.VarnishPurger", {"LOCATIONS": "CDN_PURGE_LOCATION"}),
    "fastly": (
        "polosa.caching.edge.FastlyPurger",
        {"SERVICE_ID": "FASTLY_SERVICE_ID", "API_TOKEN": "FASTLY_API_TOKEN"},
    ),
    "cloudflare": (
        "polosa.caching.edge.CloudflarePurger",
        {"ZONE_ID": "CLOUDFLARE_ZONE_ID", "BEARER_TOKEN": "CLOUDFLARE_BEARER_TOKEN"},
    ),
}


def key_purge_backend(backend: str, get: Callable[[str], str]) -> dict:
    """The POLOSA_KEY_PURGE setting for `backend` ({} when it does not purge by key)."""
    backend = backend.strip()
    if backend not in KEY_BACKENDS:
        return {}
    path, variables = KEY_BACKENDS[backend]
    config: dict = {"BACKEND": path}
    for param, variable in variables.items():
        value = get(variable).strip()
        if not value:
            raise MissingSetting(f"CDN_PURGE_BACKEND={backend} needs {variable} to be set.")
        config[param] = [v.strip() for v in value.split(",") if v.strip()] if param == "LOCATIONS" else value
    return config


def frontend_cache_backends(backend: str, get: Callable[[str], str]) -> dict:
    """The WAGTAILFRONTENDCACHE setting for `backend` ("" for none), reading variables with `get`
    (which returns "" for an unset variable). A chosen backend without its variables is an error."""
    backend = backend.strip()
    if not backend or (backend in KEY_BACKENDS and backend not in BACKENDS):
        # Purged by key only: every URL that showed a key carries it, old addresses included.
        return {}
    if backend in BACKENDS:
        path, variables = BACKENDS[backend]
        config = {"BACKEND": path}
        for param, variable in variables.items():
            value = get(variable).strip()
            if not value:
                raise MissingSetting(f"CDN_PURGE_BACKEND={backend} needs {variable} to be set.")
            config[param] = value
    elif "." in backend:
        config = {"BACKEND": backend}
    else:
        raise MissingSetting(
            f"CDN_PURGE_BACKEND={backend!r} is not one of {', '.join({**KEY_BACKENDS, **BACKENDS})} "
            "or a dotted path."
        )
    hostnames = [h.strip() for h in get("CDN_PURGE_HOSTNAMES").split(",") if h.strip()]
    if hostnames:
        config["HOSTNAMES"] = hostnames
    return {"default": config}
