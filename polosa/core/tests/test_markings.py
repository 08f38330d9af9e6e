from dataclasses import dataclass

import pytest
from django.template import Context, Template
from django.utils.html import format_html

from polosa.core import markings


@dataclass
class Line:
    id: int
    title: str = "Строка ленты"


@pytest.fixture
def only(monkeypatch):
    monkeypatch.setattr(markings, "_resolvers", [])


def test_registered_resolvers_label_cards_through_the_template_tag(only):
    def label(item, style):
        return format_html("<b>{}:{}</b>", style, markings.item_id(item)) if item.id == 7 else ""

    markings.register(label)
    template = Template('{% load polosa_tags %}{% card_marking item "row" %}')
    assert template.render(Context({"item": Line(7)})) == "<b>row:7</b>"
    assert template.render(Context({"item": Line(8)})) == ""
    assert template.render(Context({"item": None})) == ""


def test_a_failing_resolver_is_logged_and_skipped(only, caplog):
    def broken(item, style):
        raise RuntimeError("boom")

    markings.register(broken)
    markings.register(broken)  # twice is once
    markings.register(lambda item, style: "ok")
    assert markings.marking_for(Line(1)) == "ok"
    assert "card marking resolver" in caplog.text


def test_plain_strings_are_escaped(only):
    markings.register(lambda item, style: "<script>")
    assert markings.marking_for(Line(1)) == "&lt;script&gt;"
