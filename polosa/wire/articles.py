"""«Создать материал»: a draft article from an agency item, attributed, in the normal review workflow."""

from __future__ import annotations

from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator

from polosa.news.models import ArticlePage, SectionPage
from polosa.newsroom.slugs import slug_from_title

from .models import WireArticle, WireItem
from .parsing import _plain

LEAD_MAX = 600
TITLE_MAX = 255


def lead_for(item: WireItem) -> str:
    """The agency's summary, or the first paragraph of the text when it sent none."""
    text = item.lead or _plain(item.body.split("</p>", 1)[0])
    return Truncator(text).chars(LEAD_MAX)


def _unique_slug(section: SectionPage, title: str, guid: str) -> str:
    base = slug_from_title(title) or slug_from_title(guid) or "wire"
    slug, n = base, 1
    while not ArticlePage._slug_is_available(slug, section):
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_article(item: WireItem, section: SectionPage, user) -> ArticlePage:
    """Make a draft (never published) article under `section`; the editor goes on from its edit view.

    Headline, lead and text come from the item; the source's attribution line («по данным …») closes
    the text. The article is remembered as made from the item (`WireArticle`), which is the link back
    to it shown on the article's edit view and where later updates and kills of the item are noted.
    """
    title = Truncator(item.headline).chars(TITLE_MAX)
    body = [("paragraph", item.body)] if item.body else []
    attribution = item.source.attribution.strip()
    if attribution:
        body.append(("paragraph", f"<p>{escape(attribution)}</p>"))
    if not body:
        body = [("paragraph", f"<p>{escape(lead_for(item))}</p>")]
    page = ArticlePage(
        title=title,
        slug=_unique_slug(section, title, item.guid),
        lead=lead_for(item) or title,
        body=body,
        live=False,
        owner=user,
    )
    section.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    WireArticle.objects.create(item=item, page=page, item_version=item.version, created_by=user)
    return page
