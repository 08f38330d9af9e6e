from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import report


def report_view(request):
    """Impressions and clicks of every promo over the last N days (?days=7..366)."""
    if not request.user.has_perm("promos.view_promoday") and not request.user.is_superuser:
        raise PermissionDenied
    try:
        days = int(request.GET.get("days", report.DEFAULT_DAYS))
    except ValueError:
        days = report.DEFAULT_DAYS
    context = report.report(days)
    context["page_title"] = _("Ad statistics")
    context["header_title"] = _("Ad statistics")
    return TemplateResponse(request, "promos/admin/report.html", context)
