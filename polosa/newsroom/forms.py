"""No silent overwrites in the page editor.

Wagtail 8 already shows who else has the page open and warns in the browser when a colleague saves
a newer version, and refuses an autosave based on an old revision. A plain form submission based on
an old revision is still accepted, though, and would quietly replace the colleague's text. This form
refuses such a save once, keeping everything the editor typed, says who saved what and when, and
offers the comparison; saving again (the re-rendered form is based on the newest revision)
overwrites knowingly. Nothing is lost either way: every revision stays in the history and can be
compared and reverted.

The same form fills an empty address from the headline (see slugs.py), and takes go-live and
expiry times in the newsroom's zone and format (schedule_fields.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.models import Page, Revision

from .schedule_fields import use_schedule_fields
from .slugs import slug_from_title


def newer_revision(page, data, user=None) -> Revision | None:
    """A colleague's revision newer than the one the submitted form was based on, else None.

    First the same test as Wagtail's own autosave check: the editor's autosaved revision if there
    is one, else the revision the editor loaded, by id and creation time. The form's hidden
    "loaded revision" fields are not updated by autosave, so after one the editor's own autosaved
    revision is "newer" than what the form says it loaded; that alone must not stop the editor's
    save or publish. Only a revision by someone else made after the one the editor started from is
    a conflict (Wagtail's autosave refuses to overwrite a colleague's revision, so the editor's own
    newest revision cannot hide one).
    """
    if not page.pk:
        return None
    latest_id = Page.objects.filter(pk=page.pk).values_list("latest_revision_id", flat=True).first()
    latest = Revision.objects.select_related("user").filter(pk=latest_id).first() if latest_id else None
    if latest is None or not _is_out_of_date(latest, data):
        return None
    if user is None or latest.user_id != user.pk:
        return latest
    base = data.get("loaded_revision_id") or data.get("overwrite_revision_id")
    others = (
        Revision.objects.select_related("user")
        .filter(base_content_type_id=latest.base_content_type_id, object_id=latest.object_id)
        .exclude(user_id=user.pk)
    )
    if str(base).isdigit():
        others = others.filter(pk__gt=int(base))
    return others.order_by("-pk").first()


def _is_out_of_date(latest: Revision, data) -> bool:
    if overwrite := data.get("overwrite_revision_id"):
        return overwrite != str(latest.pk)
    loaded = data.get("loaded_revision_id")
    if not loaded:
        return False
    if loaded != str(latest.pk):
        return True
    loaded_at = data.get("loaded_revision_created_at", "")
    return bool(loaded_at) and loaded_at != latest.created_at.isoformat()


class NoSilentOverwriteForm(WagtailAdminPageForm):
    """The newsroom's page form: no silent overwrites, and an address made from a Russian title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
        use_schedule_fields(self)
        self._writer_is_the_author()

    def _writer_is_the_author(self):
        """On a new article the byline starts with the writer's author profile, if they have one."""
        if self.instance.pk or "authors" not in self.fields or self.is_bound or self.for_user is None:
            return
        from polosa.news.models import Author

        author = Author.objects.filter(user_id=self.for_user.pk).values_list("pk", flat=True).first()
        if author is not None:
            self.initial["authors"] = [author]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug:
            slug = slug_from_title(self.cleaned_data.get("title") or self.data.get("title", ""))
        if not slug:
            raise ValidationError(_("Enter the page's address."), code="required")
        return slug

    def clean(self):
        cleaned = super().clean()
        newer = newer_revision(self.instance, self.data, self.for_user)
        if newer is not None:
            who = (newer.user.get_full_name() or newer.user.get_username()) if newer.user else _("someone")
            raise ValidationError(
                _(
                    "%(user)s saved a newer version of this page at %(time)s while you were editing. "
                    "Your changes have not been saved yet: compare the versions in the page history, "
                    "then save again to replace that version with yours."
                )
                % {"user": who, "time": timezone.localtime(newer.created_at).strftime("%H:%M:%S")},
                code="newer_revision",
            )
        return cleaned
