import pytest

from polosa.core.sanitize import clean_rendered_html, clean_stored_rich_text

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"></svg>',
    '<form action="https://evil.example/"><input name="card"></form>',
    '<object data="x.swf"></object>',
    '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<style>body{display:none}</style>",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

DANGEROUS_MARKERS = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "onmouseover",
    "javascript:",
    "vbscript:",
    "<iframe",
    "<svg",
    "<form",
    "<object",
    "<style",
    "<base",
    "<meta",
    "data:text",
    "style=",
]


def assert_inert(html: str):
    lowered = html.lower()
    for marker in DANGEROUS_MARKERS:
        assert marker not in lowered, f"{marker!r} survived in {html!r}"


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_html_is_inert_when_stored(payload):
    assert_inert(clean_stored_rich_text(f"<p>before</p>{payload}<p>after</p>"))


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_html_is_inert_when_rendered(payload):
    assert_inert(clean_rendered_html(f"<p>before</p>{payload}<p>after</p>"))


def test_wagtail_internal_links_and_image_embeds_survive_storage():
    link = '<p>См. <a linktype="page" id="12">новость</a></p>'
    source = link + '<embed embedtype="image" id="3" format="left" alt="x"/>'
    cleaned = clean_stored_rich_text(source)
    assert '<a linktype="page" id="12">новость</a>' in cleaned
    assert '<embed embedtype="image" id="3" format="left" alt="x"/>' in cleaned


def test_ordinary_formatting_is_kept():
    html = '<p><b>Жирный</b>, <i>курсив</i> и <a href="https://example.org/">ссылка</a></p><ul><li>пункт</li></ul>'
    cleaned = clean_rendered_html(html)
    assert "<b>Жирный</b>" in cleaned
    assert '<a href="https://example.org/" rel="noopener">ссылка</a>' in cleaned
    assert "<li>пункт</li>" in cleaned
