from dataclasses import dataclass

import pytest
from django.template import Context, Template
from django.utils.html import format_html
from wagtail import hooks

from polosa.core import markings
from testsupport import only_hooks


@dataclass
class Line:
    id: int
    title: str = "Строка ленты"


@pytest.fixture
def only():
    with only_hooks(markings.HOOK):
        yield


def test_registered_resolvers_label_cards_through_the_template_tag(only):
    def label(item, style):
        return format_html("<b>{}:{}</b>", style, markings.item_id(item)) if item.id == 7 else ""

    template = Template('{% load polosa_tags %}{% card_marking item "row" %}')
    with hooks.register_temporarily(markings.HOOK, label):
        assert template.render(Context({"item": Line(7)})) == "<b>row:7</b>"
        assert template.render(Context({"item": Line(8)})) == ""
        assert template.render(Context({"item": None})) == ""
    # Gone with its registration.
    assert template.render(Context({"item": Line(7)})) == ""


def test_a_failing_resolver_is_logged_and_skipped(only, caplog):
    def broken(item, style):
        raise RuntimeError("boom")

    with hooks.register_temporarily([(markings.HOOK, broken), (markings.HOOK, lambda item, style: "ok")]):
        assert markings.marking_for(Line(1)) == "ok"
    assert "card marking resolver" in caplog.text


def test_plain_strings_are_escaped(only):
    with hooks.register_temporarily(markings.HOOK, lambda item, style: "<script>"):
        assert markings.marking_for(Line(1)) == "&lt;script&gt;"


def test_the_promos_app_registers_the_partner_marking():
    from polosa.promos import placement

    assert placement.card_marking in hooks.get_hooks(markings.HOOK)
