"""Building Wagtail's frontend-cache (CDN purge) settings from environment variables.

Imported by the settings module, so it imports nothing from Django.

    CDN_PURGE_BACKEND=http        CDN_PURGE_LOCATION=http://varnish:6081 (a PURGE request per URL)
    CDN_PURGE_BACKEND=cloudflare  CLOUDFLARE_BEARER_TOKEN, CLOUDFLARE_ZONE_ID
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


def frontend_cache_backends(backend: str, get: Callable[[str], str]) -> dict:
    """The WAGTAILFRONTENDCACHE setting for `backend` ("" for none), reading variables with `get`
    (which returns "" for an unset variable). A chosen backend without its variables is an error."""
    backend = backend.strip()
    if not backend:
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
            f"CDN_PURGE_BACKEND={backend!r} is not one of {', '.join(BACKENDS)} or a dotted path."
        )
    hostnames = [h.strip() for h in get("CDN_PURGE_HOSTNAMES").split(",") if h.strip()]
    if hostnames:
        config["HOSTNAMES"] = hostnames
    return {"default": config}
