"""What the rates app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from django.conf import settings
from wagtail import hooks

from polosa.core.periodic import PeriodicJob

from . import tasks, widget

hooks.register("polosa_slot_head", widget.assets, order=31)
# Above the news feed, where the reference page shows the rates among the feed's first rows.
hooks.register("polosa_slot_sidebar", widget.rates_widget, order=5)
hooks.register("polosa_includes", widget.edge_includes)


@hooks.register("polosa_periodic_jobs")
def periodic_jobs():
    if not settings.POLOSA_RATES_FETCH:
        return []  # the demo: no request to the bank unless asked (POLOSA_RATES_FETCH)
    return [
        PeriodicJob(
            "rates.import",
            tasks.import_latest_rates,
            every=tasks.schedule_interval(),
            hours=tasks.schedule_hours(),
        )
    ]
