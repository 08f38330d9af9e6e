import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from polosa.news.blocks import ArticleBodyBlock, EmbedBlock, SafeRichTextBlock, player_url


@pytest.mark.parametrize(
    ("pasted", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
            "https://rutube.ru/play/embed/0123456789abcdef0123456789abcdef",
        ),
        (
            "https://vkvideo.ru/video-123456_456239017",
            "https://vkvideo.ru/video_ext.php?oid=-123456&id=456239017",
        ),
        ("https://t.me/polosa_news/1234", "https://t.me/polosa_news/1234?embed=1"),
    ],
)
def test_links_from_allowed_providers_become_their_players(pasted, player):
    assert player_url(pasted) == player


@pytest.mark.parametrize(
    "pasted",
    [
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "https://evil.example/watch?v=dQw4w9WgXcQ",  # not on the allow-list
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",  # look-alike host
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=<script>",
        "https://t.me/../../etc/passwd",
    ],
)
def test_anything_else_is_refused(pasted):
    assert player_url(pasted) is None


def test_embed_block_refuses_an_unknown_provider_with_a_clear_message():
    block = EmbedBlock()
    with pytest.raises(ValidationError) as error:
        block.clean({"url": "https://evil.example/video/1", "title": "Видео", "caption": ""})
    assert "youtube.com" in str(error.value.block_errors["url"])


def test_rich_text_is_cleaned_before_it_is_stored():
    block = SafeRichTextBlock()
    stored = block.get_prep_value(block.to_python('<p onclick="x()">Текст<script>alert(1)</script></p>'))
    assert stored == "<p>Текст</p>"


def test_rich_text_is_cleaned_when_rendered_even_if_the_database_holds_hostile_html():
    block = SafeRichTextBlock()
    value = block.to_python('<p>Текст<img src=x onerror="alert(1)"></p>')  # as if written by a raw import
    assert "onerror" not in str(value)


@pytest.mark.django_db
def test_hostile_html_in_every_body_field_comes_out_inert():
    body = ArticleBodyBlock()
    payload = '<img src="https://tracker.example/p.gif" onerror="alert(1)"><script>alert(2)</script>'
    value = body.to_python(
        [
            {"type": "paragraph", "value": f"<p>{payload}</p>"},
            {
                "type": "quote",
                "value": {"text": payload, "speaker": payload, "speaker_role": payload, "source": payload},
            },
            {"type": "factbox", "value": {"title": payload, "items": [payload]}},
            {"type": "embed", "value": {"url": "javascript:alert(3)", "title": payload, "caption": payload}},
        ]
    )
    soup = BeautifulSoup(body.render(value), "html.parser")
    assert soup.find("script") is None
    for element in soup.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
        for attr in ("src", "href", "srcset"):
            assert "tracker.example" not in element.get(attr, ""), element
            assert not element.get(attr, "").lower().startswith("javascript:"), element
    # The hostile markup is still there for the editor to see, as harmless text.
    assert "alert(2)" in soup.get_text()


@pytest.mark.parametrize("typed", ["ТАСС", "по данным ТАСС", "цитата по ТАСС", "Со ссылкой на ТАСС"])
def test_the_quote_source_is_a_name_and_reads_quoted_by_it(typed):
    from django.utils import translation

    from polosa.news.blocks import QuoteBlock

    block = QuoteBlock()
    typed_value = {"text": "Рынок стабилен.", "speaker": "Пётр Ланской", "source": typed}
    value = block.clean(block.to_python(typed_value))
    assert value["source"] == "ТАСС"
    with translation.override("ru"):
        text = BeautifulSoup(block.render(value), "html.parser").get_text(" ", strip=True)
    assert "(цитата по ТАСС)" in text
    assert "по по" not in text
    assert "данным" not in text


@pytest.mark.django_db
def test_an_image_blocks_credit_is_stored_without_a_typed_photo_prefix():
    from polosa.images.tests.factories import PolosaImageFactory
    from polosa.news.blocks import ImageBlock

    block = ImageBlock()
    image = PolosaImageFactory()
    value = block.to_python({"image": image.pk, "caption": "", "credit": "Фото: Олег Ветров"})
    assert block.clean(value)["credit"] == "Олег Ветров"
