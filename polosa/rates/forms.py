"""The query string of /rates/ and its CSV downloads: ?date=, ?end=, ?days=, ?currency=."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polosa.core.forms import DayField

PERIODS = (30, 90, 365)
_CODE = re.compile(r"^[A-Za-z]{3}$")


class PeriodField(forms.Field):
    """One of PERIODS (days of history); the first when empty."""

    default_error_messages = {"invalid": _("The chart covers 30, 90 or 365 days.")}

    def to_python(self, value) -> int:
        value = (value or "").strip()
        if not value:
            return PERIODS[0]
        if value not in {str(p) for p in PERIODS}:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class CurrencyCodeField(forms.Field):
    """Three Latin letters, upper-cased; "" when empty. Whether the currency exists is the view's to say."""

    default_error_messages = {"invalid": _("There is no such currency.")}

    def to_python(self, value) -> str:
        value = (value or "").strip()
        if value and not _CODE.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value.upper()


class RatesQueryForm(forms.Form):
    # The Bank of Russia's rates start in 1992.
    date = DayField(min_year=1992)
    end = DayField(min_year=1992)
    days = PeriodField(required=False)
    currency = CurrencyCodeField(required=False)
