from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from csp.middleware import CSPMiddleware, PolicyParts

from polosa.core.sites import remember_site_for_request

# Wagtail's admin still relies on inline scripts and styles in places; readers' pages never do.
ADMIN_POLICY_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["https:"],
    "frame-src": ["https:"],
}


def allow_scripts_from(response, sources) -> None:
    """Let this one response's page load scripts from `sources` as well (django-csp's per-response
    update, which the page cache stores with the page)."""
    if not sources:
        return
    update = dict(getattr(response, "_csp_update", None) or {})
    update["script-src"] = [*update.get("script-src", []), *sources]
    response._csp_update = update


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The project's strict policy everywhere, relaxed only inside the editors' admin."""

    admin_prefixes = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefixes):
            parts.update = {**(parts.update or {}), **ADMIN_POLICY_UPDATE}
        return parts


class KnownSiteMiddleware:
    """Readers' requests find their Wagtail site in this process's copy (`polosa.core.sites.site_for`).
    After CommonMiddleware, which has checked the host name against ALLOWED_HOSTS. Under ASGI the
    requests it leaves alone (event streams, the admin) pass without a thread hop."""

    sync_capable = True
    async_capable = True
    skipped_prefixes = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/_util/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def concerns(self, request) -> bool:
        return request.method in ("GET", "HEAD") and not request.path_info.startswith(self.skipped_prefixes)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        if self.concerns(request):
            remember_site_for_request(request)
        return self.get_response(request)

    async def __acall__(self, request):
        if self.concerns(request):
            await sync_to_async(remember_site_for_request)(request)
        return await self.get_response(request)
