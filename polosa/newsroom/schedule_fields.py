"""The go-live and expiry fields of the page editor: the newsroom's format and time zone, stated.

Wagtail's fields take the time in the editor's own admin time zone (a profile setting), say
nothing about the format, and its date-time picker replaces typed text it cannot parse with
another time, or moves a time onto its hourly list, without a word. In a newsroom scheduling
happens in one zone (`TIME_ZONE`, Moscow): the field says so, shows stored times in that zone
(with seconds when they have any, so re-saving never cuts them), accepts what a person types in
the usual Russian ways, and refuses anything else with a message instead of guessing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

# What people type, tried in order: Russian day-first with a four- or two-digit year, with or
# without seconds or a comma, and ISO (what scripts and tests send).
INPUT_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y, %H:%M",
    "%d.%m.%Y в %H:%M",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
DISPLAY_FORMAT = "%d.%m.%Y %H:%M"
EXAMPLE = "03.12.2026 18:30"
ZONE_NAMES = {"Europe/Moscow": _("Moscow time")}


def newsroom_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def zone_label() -> str:
    """ "московское время, UTC+3" (or the zone's name and offset for another TIME_ZONE)."""
    offset = timezone.now().astimezone(newsroom_zone()).utcoffset()
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    utc = f"UTC{hours:+d}" + (f":{rest // 60:02d}" if rest else "")
    name = ZONE_NAMES.get(settings.TIME_ZONE, settings.TIME_ZONE)
    return f"{name}, {utc}"


def format_in_newsroom_zone(value: datetime) -> str:
    local = value.astimezone(newsroom_zone()) if timezone.is_aware(value) else value
    return local.strftime(DISPLAY_FORMAT + (":%S" if local.second else ""))


class ScheduleInput(AdminDateTimeInput):
    """Wagtail's picker, minus its silent changes: typed text is left as typed (the server judges
    it), and the time list has five-minute steps instead of hours."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": EXAMPLE, **(attrs or {})}, format=DISPLAY_FORMAT)

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False, "step": 5, "allowBlank": True}

    def format_value(self, value):
        if isinstance(value, datetime):
            return format_in_newsroom_zone(value)
        return super().format_value(value)


class ScheduleField(forms.DateTimeField):
    """A date and time in the newsroom's zone, exactly as typed (see the module's docstring)."""

    widget = ScheduleInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _(
            "Enter the date and time as DD.MM.YYYY HH:MM (%(zone)s), for example %(example)s."
        ) % {"zone": zone_label(), "example": EXAMPLE}

    def prepare_value(self, value):
        if isinstance(value, datetime):
            return format_in_newsroom_zone(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value, newsroom_zone())
        text = " ".join(str(value).split())
        for fmt in self.input_formats:
            try:
                parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware just below
            except ValueError:
                continue
            return timezone.make_aware(parsed, newsroom_zone())
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def help_text(field_name: str) -> str:
    what = {
        "go_live_at": _("When the article goes live."),
        "expire_at": _("When the article is taken down."),
    }[field_name]
    return _("%(what)s Time zone: %(zone)s. Format: DD.MM.YYYY HH:MM, for example %(example)s.") % {
        "what": what,
        "zone": zone_label(),
        "example": EXAMPLE,
    }


def use_schedule_fields(form) -> None:
    """Replace a page form's go-live and expiry fields by ScheduleFields, keeping label and value."""
    for name in ("go_live_at", "expire_at"):
        old = form.fields.get(name)
        if old is None:
            continue
        form.fields[name] = ScheduleField(
            required=old.required, label=old.label, help_text=help_text(name), initial=old.initial
        )
