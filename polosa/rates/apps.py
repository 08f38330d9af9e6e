from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatesConfig(AppConfig):
    name = "polosa.rates"
    label = "rates"
    verbose_name = _("Bank of Russia rates")

    def ready(self):
        from django.conf import settings

        from polosa.core import periodic

        from . import tasks, widget

        widget.register_includes()
        if not settings.POLOSA_RATES_FETCH:
            return  # the demo: no request to the bank unless asked (POLOSA_RATES_FETCH)
        periodic.register(
            "rates.import",
            tasks.import_latest_rates,
            every=tasks.schedule_interval(),
            hours=tasks.schedule_hours(),
        )
