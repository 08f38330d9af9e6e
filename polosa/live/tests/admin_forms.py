"""Form data for posting a live blog to Wagtail's page editor from tests."""

from __future__ import annotations

from wagtail.test.utils.form_data import inline_formset, nested_form_data


def live_blog_form(title: str, slug: str = "", lead: str = "Следим за событиями дня.", **extra) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": lead,
            "comments": inline_formset([]),
            "go_live_at": "",
            "expire_at": "",
            "seo_title": "",
            "search_description": "",
        }
    )
    data.update(extra)
    return data
