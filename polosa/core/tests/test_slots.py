"""Slots are filled through Wagtail's hooks named ``polosa_slot_<slot>``."""

from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import format_html
from wagtail import hooks

from polosa.core import slots

TEMPLATE = Template('{% load polosa_tags %}{% slot "home_widgets" %}')


def render_slot():
    return TEMPLATE.render(Context({"request": RequestFactory().get("/")}))


def widget(request, context):
    return format_html('<div class="widget">{}</div>', "Курс доллара")


def test_a_component_registered_through_the_hook_appears_and_goes_when_removed(db):
    with hooks.register_temporarily(slots.hook_name("home_widgets"), widget):
        assert '<div class="widget">Курс доллара</div>' in render_slot()
    assert "Курс доллара" not in render_slot()


def test_components_run_in_order_and_empty_ones_stay_hidden():
    request = RequestFactory().get("/")
    with (
        hooks.register_temporarily("polosa_slot_test", lambda r, c: "second", order=20),
        hooks.register_temporarily("polosa_slot_test", lambda r, c: "", order=15),
        hooks.register_temporarily("polosa_slot_test", lambda r, c: "<b>first</b>", order=10),
    ):
        assert slots.render("test", request, {}) == "&lt;b&gt;first&lt;/b&gt;second"
    assert slots.render("test", request, {}) == ""


def test_apps_fill_the_slots_from_their_wagtail_hooks():
    from polosa.feed import fragments
    from polosa.rates import widget as rates

    # The rates above the news feed, most read below it.
    assert hooks.get_hooks("polosa_slot_sidebar")[:3] == [
        rates.rates_widget,
        fragments.feed_column,
        fragments.most_read_on_home,
    ]


def test_head_tags_keep_their_order():
    names = [f"{c.__module__}.{c.__name__}" for c in hooks.get_hooks("polosa_slot_head")]
    assert names == [
        "polosa.feed.fragments.assets",
        "polosa.newsroom.components.assets",
        "polosa.syndication.components.alternate_feeds",
        "polosa.syndication.components.front_page_meta",
        "polosa.promos.placement.assets",
        "polosa.rates.widget.assets",
        "polosa.search.components.assets",
        "polosa.news.embeds.assets",
        "polosa.caching.components.include_script",
    ]
