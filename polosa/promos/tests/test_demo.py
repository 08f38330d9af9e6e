import io

import pytest

from polosa.promos import demo
from polosa.promos.models import EventPromo, PartnerArticlePage, PromoDay, SpecialProjectPage
from polosa.promos.validators import inn_is_valid

pytestmark = pytest.mark.django_db


def test_demo_loads_marked_promos_once(client, home):
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert "already loaded" in out.getvalue()

    project = SpecialProjectPage.objects.get()
    assert project.hashtag == "всенабиржу"
    assert project.live
    assert PartnerArticlePage.objects.live().count() == 3
    assert PartnerArticlePage.objects.child_of(project).count() == 2
    event = EventPromo.objects.get()
    assert event.cta_text == "Зарегистрироваться"
    for ad in [project, event, *PartnerArticlePage.objects.all()]:
        assert ad.marking_errors() == {}
        assert inn_is_valid(ad.advertiser.inn)
    assert PromoDay.objects.exists()

    html = client.get(home.url).content.decode()
    assert f"event:{event.pk}" in html  # the front page's partner block
    assert f"project:{project.pk}" in html
    assert "Партнерский проект" in html
