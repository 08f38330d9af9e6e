"""The site's own typeface: self-hosted PT Serif, preloaded, swapped in without moving anything."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.django_db]

FONTS = Path(settings.BASE_DIR) / "polosa" / "static" / "polosa" / "fonts"


def test_fonts_are_small_woff2_files_with_their_licence():
    files = sorted(p.name for p in FONTS.glob("*.woff2"))
    assert files == ["pt-serif-400.woff2", "pt-serif-700.woff2"]
    for name in files:
        data = (FONTS / name).read_bytes()
        assert data[:4] == b"wOF2"
        assert len(data) < 60_000, name
    assert "SIL Open Font License" in (FONTS / "OFL.txt").read_text()


def test_every_page_preloads_the_headline_face_its_stylesheet_asks_for(client, article_factory):
    html = client.get(article_factory().url).content.decode()
    preloads = re.findall(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', html
    )
    # The headline face; the text face is further down the page and not worth the bandwidth.
    assert [Path(p).name.split(".")[0] for p in preloads] == ["pt-serif-700"]
    css = (Path(settings.BASE_DIR) / "polosa" / "static" / "polosa" / "site.css").read_text()
    assert css.count("font-display: swap") == 2
    assert 'font-family: "PT Serif Fallback"' in css
    assert "size-adjust" in css


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_headlines_are_set_in_pt_serif_and_the_swap_shifts_nothing(
    live_server, browser_page, article_factory
):
    paragraph = "<p>" + "Совет директоров сохранил ставку и пообещал следить за инфляцией. " * 8 + "</p>"
    article = article_factory(
        title="Банк России сохранил ключевую ставку", body=[("paragraph", paragraph)] * 4
    )
    page = browser_page
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value; })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(live_server.url + article.url)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("document.fonts.check('700 40px \"PT Serif\"')")
    assert (
        page.evaluate(
            "[...document.fonts].filter(f => f.family.includes('PT Serif') && f.status === 'loaded').length"
        )
        >= 1
    )
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith('"PT Serif"')
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0
    assert page.problems == []
