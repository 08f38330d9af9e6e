from csp.middleware import CSPMiddleware, PolicyParts

# Wagtail's admin still relies on inline scripts and styles in places; readers' pages never do.
ADMIN_POLICY_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["https:"],
    "frame-src": ["https:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The project's strict policy everywhere, relaxed only inside the editors' admin."""

    admin_prefixes = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefixes):
            parts.update = {**(parts.update or {}), **ADMIN_POLICY_UPDATE}
        return parts
