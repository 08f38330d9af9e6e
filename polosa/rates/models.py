"""Currencies and the Bank of Russia's official rates.

A rate is stored as the bank publishes it (``value`` for ``nominal`` units) and per unit
(``unit_value``), for the date it takes effect. The bank sets no rate on Sundays, Mondays and
holidays, so effective dates have gaps; the change of a rate is always taken against the previous
*stored* effective date of that currency, never the calendar day before.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.Model):
    code = models.CharField(_("ISO code"), max_length=3, unique=True)
    bank_id = models.CharField(_("Bank of Russia ID"), max_length=16, unique=True)
    num_code = models.CharField(_("numeric code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RateQuerySet(models.QuerySet):
    def on_or_before(self, day: date) -> RateQuerySet:
        return self.filter(date__lte=day)

    def latest_date(self, day: date | None = None) -> date | None:
        """The newest effective date with any rate (on or before `day` when given)."""
        qs = self.on_or_before(day) if day else self
        return qs.aggregate(latest=models.Max("date"))["latest"]


class Rate(models.Model):
    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="rates")
    date = models.DateField(_("effective date"))
    nominal = models.PositiveIntegerField(_("nominal"))
    value = models.DecimalField(_("value for the nominal"), max_digits=16, decimal_places=4)
    unit_value = models.DecimalField(_("value per unit"), max_digits=20, decimal_places=8)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = RateQuerySet.as_manager()

    class Meta:
        ordering = ["currency", "-date"]
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        constraints = [models.UniqueConstraint(fields=["currency", "date"], name="rates_one_rate_per_day")]
        indexes = [models.Index(fields=["date"], name="rates_date_idx")]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.date}: {self.value}/{self.nominal}"
