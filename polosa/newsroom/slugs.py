"""Latin addresses from Russian headlines, for articles whose address the editor left empty.

Wagtail's admin script fills the address from the title only for Latin text when Unicode slugs are
off (as here), so a Russian headline left the field empty and the form refused to save. This is a
simple, readable transliteration (close to the one Yandex and most Russian newsrooms use in URLs).
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

logger = logging.getLogger(__name__)

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

MAX_LENGTH = 80


def transliterate(text: str) -> str:
    return "".join(_TABLE.get(ch, _TABLE.get(ch.lower(), ch)) for ch in text.lower())


def slug_from_title(title: str) -> str:
    """ "Городской совет утвердил план" -> "gorodskoy-sovet-utverdil-plan" (cut at a word)."""
    slug = slugify(transliterate(title))
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0]
    return slug


# How long after its autosave a never-published draft still counts as the twin of a create form.
AUTOSAVE_TWIN_WINDOW = timedelta(hours=2)


def autosaved_twin(parent, slug: str, user, now=None):
    """The user's own autosaved copy of the page they are creating under `parent` at `slug`, or None.

    Wagtail's autosave creates the page in the background as soon as the create form has a title.
    If the editor submits the create form before the browser has switched to the new page's edit
    form (a click while the first autosave is in flight, or a retry after an error), the submission
    meets that page's address and is refused («Слаг … уже используется»), again on every retry. A
    twin is a page under the same parent at the same address that nobody else touched: owned by
    the user, never published, not in a workflow, without children, with a single revision (later
    autosaves overwrite the first) made by the user within AUTOSAVE_TWIN_WINDOW. An older or
    richer draft is someone's work and is left alone (the form then says the address is taken).
    """
    from wagtail.models import Page, Revision

    if not slug or not user.is_authenticated:
        return None
    now = now or timezone.now()
    page = (
        Page.objects.child_of(parent)
        .filter(slug=slug, owner=user, live=False, first_published_at__isnull=True, numchild=0)
        .first()
    )
    if page is None or page.workflow_states.filter(status="in_progress").exists():
        return None
    revisions = list(Revision.page_revisions.filter(object_id=str(page.pk))[:2])
    if len(revisions) != 1:
        return None
    revision = revisions[0]
    if revision.user_id != user.pk or revision.created_at < now - AUTOSAVE_TWIN_WINDOW:
        return None
    return page.specific


def discard_autosaved_twin(parent, slug: str, user) -> bool:
    """Delete the user's autosaved twin of the page being created (see autosaved_twin)."""
    from wagtail.actions.delete_page import DeletePageAction

    twin = autosaved_twin(parent, slug, user)
    if twin is None:
        return False
    logger.info("replacing the autosaved draft %s «%s» by the submitted create form", twin.pk, twin.title)
    DeletePageAction(twin, user=user).execute(skip_permission_checks=True)
    return True
