"""Telegram and VK posts in an article: what is accepted, what readers get first, what loads later."""

import socket

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.blocks import StreamValue
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedUnsupportedProviderException
from wagtail.embeds.models import Embed
from wagtail.test.utils.form_data import rich_text

from polosa.news.blocks import ArticleBodyBlock, EmbedBlock
from polosa.news.embeds import TELEGRAM, VK, Post, parse_post, posts_in, vk_key
from polosa.news.models import ArticlePage

TELEGRAM_URL = "https://t.me/polosa_news/1234"
VK_URL = "https://vk.com/wall-1_45616"
VK_EXPORT = (
    '<div id="vk_post_-1_45616"></div><script src="https://vk.com/js/api/openapi.js?169"></script>'
    "<script>VK.Widgets.Post(\"vk_post_-1_45616\", -1, 45616, 'ZMk4b98xpQZMJJRXVsL1ig');</script>"
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: posts are built from their links alone."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a test tried to reach the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    ("pasted", "post"),
    [
        (TELEGRAM_URL, Post(TELEGRAM, "polosa_news", 1234)),
        ("https://t.me/polosa_news/1234/", Post(TELEGRAM, "polosa_news", 1234)),
        ("https://t.me/s/polosa_news/1234", Post(TELEGRAM, "polosa_news", 1234)),  # the web preview
        ("https://t.me/polosa_news/1234?single", Post(TELEGRAM, "polosa_news", 1234)),
        ("  https://T.ME/Polosa_News/7  ", Post(TELEGRAM, "Polosa_News", 7)),
        (VK_URL, Post(VK, "-1", 45616)),
        ("https://vk.com/wall1_45616", Post(VK, "1", 45616)),  # a person's wall
        ("https://m.vk.com/wall-1_45616", Post(VK, "-1", 45616)),
        ("https://vk.com/club1?w=wall-1_45616", Post(VK, "-1", 45616)),  # a post opened over a page
        ("https://vk.com/feed?w=wall-1_45616", Post(VK, "-1", 45616)),
    ],
)
def test_links_to_telegram_and_vk_posts_are_accepted(pasted, post):
    assert parse_post(pasted) == post


@pytest.mark.parametrize(
    "pasted",
    [
        "javascript:alert(1)",
        "JavaScript://t.me/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://t.me/polosa_news/1234",  # not https
        "https://t.me.evil.com/polosa_news/1234",  # look-alike host
        "https://evil.com/t.me/polosa_news/1234",
        "https://t.me@evil.com/polosa_news/1234",
        "https://evil.com@t.me/polosa_news/1234",  # a user in the address
        "https://t.me:8443/polosa_news/1234",  # a port
        "https://t.me./polosa_news/1234",
        "https://telegram.org/polosa_news/1234",
        "https://t.me/polosa_news",  # a channel, not a post
        "https://t.me/polosa_news/1234/5678",  # extra segments
        "https://t.me/polosa_news/1234/embed",
        "https://t.me/c/1234567/89",  # a private channel
        "https://t.me/+AbCdEfGh",  # an invitation
        "https://t.me/joinchat/AbCdEfGh",
        "https://t.me/polosa_news/0",
        "https://t.me/polosa_news/99999999999",  # a huge number
        "https://t.me/polosa_news/" + "9" * 400,
        "https://t.me/polosa_news/12a",
        "https://t.me/../../etc/passwd/1",
        "https://t.me/polosa_news/1234\\@evil.com",
        'https://t.me/polosa_news/1234"onmouseover="alert(1)',
        "https://t.me/polosa news/1234",
        "https://vk.com/wall-1_45616_1",
        "https://vk.com/wall-1",
        "https://vk.com/wall-1_45616/extra",
        "https://vk.com/wall-99999999999999_1",  # a huge owner id
        "https://vk.com/wall-1_99999999999",
        "https://vk.com/video-1_45616",  # a video, handled by the player, not a post
        "https://vk.com/club1?w=photo-1_2",
        "https://vk.com/a/b?w=wall-1_45616",
        "https://vk.com.evil.com/wall-1_45616",
        "https://evilvk.com/wall-1_45616",
        "https://vkontakte.ru/wall-1_45616",
        "",
    ],
)
def test_anything_else_is_refused(pasted):
    assert parse_post(pasted) is None


def test_a_network_taken_off_the_allow_list_is_refused(settings):
    settings.POLOSA_EMBED_PROVIDERS = ["youtube.com", "vk.com"]
    assert parse_post(TELEGRAM_URL) is None
    assert parse_post(VK_URL) is not None


def embed_value(url, title="Заявление министра", caption="", vk_code=""):
    return {"url": url, "title": title, "caption": caption, "vk_code": vk_code}


@pytest.mark.parametrize("url", [TELEGRAM_URL, VK_URL, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"])
def test_the_block_accepts_posts_and_videos(url):
    block = EmbedBlock()
    assert block.clean(block.to_python(embed_value(url)))["url"] == url


def block_error(value, field="url") -> str:
    block = EmbedBlock()
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        block.clean(block.to_python(value))
    return " ".join(error.value.block_errors[field].messages)


@pytest.mark.parametrize(
    "url", ["https://t.me/polosa_news", "https://t.me/polosa_news/1/2", "https://vk.com/wall-1"]
)
def test_a_link_to_the_network_but_not_to_a_post_is_refused_in_russian(url):
    message = block_error(embed_value(url))
    assert message.startswith("Это не ссылка на отдельный пост.")
    assert "https://t.me/channel/123" in message


@pytest.mark.parametrize(
    "url", ["https://t.me.evil.com/polosa_news/1", "https://evil.example/p/1", "http://t.me/polosa_news/1"]
)
def test_other_hosts_are_refused_with_the_list_of_allowed_sites(url):
    message = block_error(embed_value(url))
    assert "Встроить можно только https-ссылку" in message
    assert "t.me" in message
    assert "vk.com" in message


def test_what_is_not_a_web_address_is_refused_before_the_allow_list():
    assert block_error(embed_value("javascript:alert(1)")) == "Введите правильный URL."


def test_only_the_key_of_vks_export_code_is_kept():
    block = EmbedBlock()
    value = block.clean(block.to_python(embed_value(VK_URL, vk_code=VK_EXPORT)))
    assert value["vk_code"] == "ZMk4b98xpQZMJJRXVsL1ig"
    bare = block.clean(block.to_python(embed_value(VK_URL, vk_code="ZMk4b98xpQZMJJRXVsL1ig")))
    assert bare["vk_code"] == "ZMk4b98xpQZMJJRXVsL1ig"


@pytest.mark.parametrize(
    "code",
    [
        VK_EXPORT.replace("45616, '", "45617, '"),  # another post's code
        "<script>alert(1)</script>",
        "не код",
    ],
)
def test_a_code_that_is_not_vks_for_this_post_is_refused(code):
    message = block_error(embed_value(VK_URL, vk_code=code), field="vk_code")
    assert message.startswith("Это не код экспорта ВКонтакте для этого поста.")


def test_a_code_beside_a_telegram_post_is_not_kept():
    block = EmbedBlock()
    assert block.clean(block.to_python(embed_value(TELEGRAM_URL, vk_code=VK_EXPORT)))["vk_code"] == ""


def test_vk_key_reads_the_export_code_of_the_right_post_only():
    post = parse_post(VK_URL)
    assert vk_key(VK_EXPORT, post) == "ZMk4b98xpQZMJJRXVsL1ig"
    assert vk_key("", post) == ""
    assert vk_key(VK_EXPORT.replace("-1, 45616", "-2, 45616"), post) is None


def rendered(url, **kwargs):
    block = EmbedBlock()
    with translation.override("ru"):
        html = block.render(block.to_python(embed_value(url, **kwargs)))
    return BeautifulSoup(html, "html.parser")


def test_a_telegram_post_is_first_a_card_with_a_link_and_no_third_party_script():
    soup = rendered(TELEGRAM_URL, caption="Пост министерства")
    assert soup.find("script") is None
    assert soup.find("iframe") is None
    assert "telegram.org" not in str(soup)
    figure = soup.select_one("figure.embed--post.embed--telegram")
    # The space the widget will take is kept by the card (site.css: .embed__post { min-height }).
    assert figure.select_one(".embed__post .embed__card") is not None
    assert figure.select_one(".embed__title").get_text() == "Заявление министра"
    assert figure.select_one(".embed__network").get_text(" ", strip=True) == "Telegram @polosa_news"
    link = figure.select_one("figcaption a")
    assert link["href"] == TELEGRAM_URL
    assert link.get_text() == "Открыть пост в Telegram"
    assert figure.figcaption.get_text(" ", strip=True).startswith("Пост министерства")
    # The button does nothing without scripts, so it starts hidden; embeds.js shows it.
    button = figure.select_one("button[data-post-embed-load]")
    assert button.get_text() == "Показать пост из Telegram"
    assert button.has_attr("hidden")
    assert button["type"] == "button"
    assert figure["data-owner"] == "polosa_news"
    assert figure["data-number"] == "1234"


def test_a_vk_post_with_its_key_is_a_card_that_loads_vks_widget_on_request():
    soup = rendered(VK_URL, vk_code="ZMk4b98xpQZMJJRXVsL1ig")
    assert soup.find("script") is None
    assert soup.find("iframe") is None
    figure = soup.select_one("figure.embed--post.embed--vk")
    assert figure["data-owner"] == "-1"
    assert figure["data-key"] == "ZMk4b98xpQZMJJRXVsL1ig"
    assert figure.select_one("figcaption a")["href"] == VK_URL
    assert figure.select_one("figcaption a").get_text() == "Открыть пост во ВКонтакте"
    assert figure.select_one("button").get_text() == "Показать пост из ВКонтакте"


def test_a_vk_post_without_its_key_is_a_link_card_only():
    soup = rendered("https://vk.com/club1?w=wall-1_45616")
    assert soup.find("button") is None
    assert soup.find("script") is None
    # The link readers get is rebuilt from the post's parts, never the pasted address.
    assert soup.select_one("figcaption a")["href"] == VK_URL


def test_the_link_to_the_original_is_rebuilt_from_its_parts():
    soup = rendered("https://t.me/s/polosa_news/1234?utm_source=x#frag")
    assert soup.select_one("figcaption a")["href"] == TELEGRAM_URL


def test_videos_still_get_their_player():
    soup = rendered("https://youtu.be/dQw4w9WgXcQ")
    assert soup.iframe["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.django_db
def test_wagtails_embed_machinery_uses_the_finder_without_the_network():
    embed = get_embed(TELEGRAM_URL)
    assert embed.provider_name == "Telegram"
    assert embed.author_name == "@polosa_news"
    assert embed.height == 360
    soup = BeautifulSoup(embed.html, "html.parser")
    assert soup.select_one("figcaption a")["href"] == TELEGRAM_URL
    assert soup.find("script") is None
    assert get_embed("https://vk.com/wall-1_45616").provider_name in ("VK", "ВКонтакте")
    assert Embed.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        # Wagtail's default oEmbed finder would fetch these from YouTube's and others' servers.
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://t.me.evil.com/polosa_news/1234",
        "javascript:alert(1)",
    ],
)
def test_wagtails_embed_machinery_refuses_everything_else(url):
    with pytest.raises(EmbedUnsupportedProviderException):
        get_embed(url)
    assert not Embed.objects.exists()


def test_posts_are_found_in_the_stored_body_without_building_blocks():
    body = StreamValue(
        ArticleBodyBlock(),
        [
            {"type": "paragraph", "value": "<p>Текст</p>", "id": "a"},
            {"type": "embed", "value": embed_value(TELEGRAM_URL), "id": "b"},
            {"type": "embed", "value": embed_value("https://youtu.be/dQw4w9WgXcQ"), "id": "c"},
            {"type": "embed", "value": embed_value(VK_URL, vk_code="ZMk4b98xpQZMJJRXVsL1ig"), "id": "d"},
        ],
        is_lazy=True,
    )
    assert [(p.network, p.key) for p in posts_in(body)] == [(TELEGRAM, ""), (VK, "ZMk4b98xpQZMJJRXVsL1ig")]


# --- The article page -----------------------------------------------------------------------------


def with_posts(*values):
    return [("paragraph", "<p>Министерство ответило в своём канале.</p>"), *(("embed", v) for v in values)]


@pytest.fixture
def telegram_article(article_factory):
    return article_factory(
        title="Министерство ответило в канале", slug="otvet", body=with_posts(embed_value(TELEGRAM_URL))
    )


def csp_script_sources(response) -> list[str]:
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    return policy["script-src"].split()


@pytest.mark.django_db
def test_the_article_page_shows_the_card_and_loads_no_third_party_script(client, telegram_article):
    response = client.get(telegram_article.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    figure = soup.select_one(".article__body figure.embed--telegram")
    assert figure.select_one("figcaption a")["href"] == TELEGRAM_URL
    sources = [s.get("src", "") for s in soup.find_all("script")]
    assert not [s for s in sources if "telegram.org" in s or "vk.com" in s]
    assert [s for s in sources if s.endswith("news/embeds.js")]  # our own, deferred
    # The widget's script is allowed on this page, and only its origin.
    assert csp_script_sources(response) == ["'self'", "https://telegram.org"]


@pytest.mark.django_db
def test_pages_without_posts_keep_the_strict_policy_and_skip_the_script(client, article_factory):
    article = article_factory(body=with_posts(embed_value("https://youtu.be/dQw4w9WgXcQ")))
    response = client.get(article.url)
    assert csp_script_sources(response) == ["'self'"]
    assert b"news/embeds.js" not in response.content
    # A VK post without its key has nothing to load either.
    vk_link = article_factory(body=with_posts(embed_value(VK_URL)))
    response = client.get(vk_link.url)
    assert csp_script_sources(response) == ["'self'"]
    assert b"news/embeds.js" not in response.content


@pytest.mark.django_db
def test_a_vk_post_with_its_key_allows_vks_script(client, article_factory):
    article = article_factory(body=with_posts(embed_value(VK_URL, vk_code="ZMk4b98xpQZMJJRXVsL1ig")))
    assert csp_script_sources(client.get(article.url)) == ["'self'", "https://vk.com"]


@pytest.mark.django_db
def test_the_cached_page_keeps_its_policy_and_follows_the_article(
    client, telegram_article, settings, django_assert_num_queries
):
    settings.POLOSA_PAGE_CACHE_ENABLED = True
    first = client.get(telegram_article.url)
    with django_assert_num_queries(0):  # answered by the page cache
        second = client.get(telegram_article.url)
    assert second.content == first.content
    assert csp_script_sources(second) == ["'self'", "https://telegram.org"]
    # The embed is part of the body, so the article's own key is all the page needs: removing the
    # post and publishing shows the page without it, and without the widget's script in its policy.
    page = ArticlePage.objects.get(pk=telegram_article.pk)
    page.body = with_posts()
    page.save_revision().publish()
    third = client.get(telegram_article.url)
    assert b"embed--telegram" not in third.content
    assert csp_script_sources(third) == ["'self'"]


@pytest.mark.django_db
def test_an_editor_adds_a_post_in_the_admin(admin_client, section):
    from polosa.newsroom.tests.admin_forms import article_form

    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    body = [
        ("paragraph", rich_text("<p>Министерство ответило в своём канале.</p>")),
        ("embed", {"url": TELEGRAM_URL, "title": "Ответ министерства", "caption": "", "vk_code": ""}),
    ]
    response = admin_client.post(url, article_form("Ответ министерства", "otvet-ministerstva", body=body))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = ArticlePage.objects.get(slug="otvet-ministerstva").get_latest_revision_as_object()
    embed = next(block for block in page.body if block.block_type == "embed")
    assert embed.value.post == Post(TELEGRAM, "polosa_news", 1234)

    # A look-alike host is refused on the form, in Russian.
    body[1] = (
        "embed",
        {"url": "https://t.me.evil.com/polosa_news/1", "title": "Пост", "caption": "", "vk_code": ""},
    )
    with translation.override("ru"):
        response = admin_client.post(
            url, article_form("Другой ответ", "drugoj-otvet", body=body), HTTP_ACCEPT_LANGUAGE="ru"
        )
    assert response.status_code == 200
    errors = response.context["form"].errors["body"].as_data()[0]
    message = " ".join(errors.block_errors[1].block_errors["url"].messages)
    assert message.startswith("Встроить можно только https-ссылку")
    assert not ArticlePage.objects.filter(slug="drugoj-otvet").exists()
