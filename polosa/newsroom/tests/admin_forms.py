"""Form data for posting to Wagtail's page editor from tests, as the admin's own form would."""

from __future__ import annotations

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def article_form(
    title: str,
    slug: str,
    lead: str = "Короткий лид новости для проверки редакции.",
    body: list | None = None,
    hero_image=None,
    corrections: list | None = None,
    go_live_at: str = "",
    expire_at: str = "",
    **extra,
) -> dict:
    body = body if body is not None else [("paragraph", rich_text("<p>Текст новости для проверки.</p>"))]
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": lead,
            "genre": "news",
            "hero_image": hero_image.pk if hero_image else "",
            "hero_caption": "",
            "body": streamfield(body),
            "story": "",
            "tag_links": inline_formset([]),
            "corrections": inline_formset(corrections or []),
            "comments": inline_formset([]),
            "go_live_at": go_live_at,
            "expire_at": expire_at,
            "seo_title": "",
            "search_description": "",
        }
    )
    data.update(extra)
    return data


def home_form(home, main_story=None, top_stories=(), **extra) -> dict:
    data = nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "main_story": main_story.pk if main_story else "",
            "top_stories": inline_formset([{"article": a.pk} for a in top_stories]),
            "comments": inline_formset([]),
            "go_live_at": "",
            "expire_at": "",
            "seo_title": "",
            "search_description": "",
        }
    )
    data.update(extra)
    return data
