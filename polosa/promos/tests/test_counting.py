"""Impressions and clicks per promo per day: counted atomically, no cookies, nothing about readers."""

import contextlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import timezone

from polosa.news import newsworthy
from polosa.news.models import ArticlePage
from polosa.promos import counting
from polosa.promos.models import PromoDay

from .factories import EventPromoFactory, PartnerArticlePageFactory, SpecialProjectPageFactory

pytestmark = pytest.mark.django_db
SEEN = "/_util/promos/seen/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def beacon(client, body, **headers):
    return client.post(SEEN, data=body, content_type="text/plain", HTTP_USER_AGENT=BROWSER, **headers)


def stats(kind, pk):
    row = PromoDay.objects.filter(kind=kind, object_id=pk, day=timezone.localdate()).first()
    return (row.impressions, row.clicks) if row else (0, 0)


def test_beacon_counts_each_named_promo_once_per_request(client, partner_index):
    event = EventPromoFactory()
    article = PartnerArticlePageFactory(parent=partner_index)
    response = beacon(client, f"event:{event.pk},article:{article.pk},event:{event.pk}")
    assert response.status_code == 204
    assert stats("event", event.pk) == (1, 0)
    assert stats("article", article.pk) == (1, 0)
    beacon(client, f"event:{event.pk}")
    assert stats("event", event.pk) == (2, 0)


def test_beacon_sets_no_cookie_is_never_stored_and_keeps_no_reader_data(client):
    event = EventPromoFactory()
    response = beacon(client, f"event:{event.pk}", REMOTE_ADDR="203.0.113.7")
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert "X-Polosa-Cache" not in response
    row = PromoDay.objects.get()
    assert {f.name for f in PromoDay._meta.fields} == {
        "id",
        "kind",
        "object_id",
        "day",
        "impressions",
        "clicks",
    }
    assert "203.0.113.7" not in str(row.__dict__)


@pytest.mark.parametrize("body", ["", "event", "event:abc", "page:1", "event:-1", "<script>", "event:1;DROP"])
def test_malformed_beacons_are_refused_and_count_nothing(client, body):
    EventPromoFactory()
    assert beacon(client, body).status_code == 400
    assert not PromoDay.objects.exists()


def test_unknown_and_draft_promos_are_not_counted(client, home):
    draft = EventPromoFactory(live=False)
    assert beacon(client, f"event:{draft.pk},event:999999,project:{home.pk}").status_code == 204
    assert not PromoDay.objects.exists()


def test_beacon_answers_only_posts_from_this_site_and_not_bots(client):
    event = EventPromoFactory()
    assert client.get(SEEN).status_code == 405
    assert beacon(client, f"event:{event.pk}", HTTP_ORIGIN="https://evil.example").status_code == 403
    response = client.post(
        SEEN, data=f"event:{event.pk}", content_type="text/plain", HTTP_USER_AGENT="Googlebot/2.1"
    )
    assert response.status_code == 204
    assert not PromoDay.objects.exists()
    assert beacon(client, "event:1," * 600).status_code == 413


def test_non_ascii_body_is_refused(client):
    response = client.post(
        SEEN, data="событие:1".encode(), content_type="text/plain", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 400


def test_click_counts_and_redirects_with_the_erid_case_kept(client):
    event = EventPromoFactory(url="https://events.example/reg?utm_source=polosa", erid="LjN8K8A6b")
    response = client.get(f"/_util/promos/go/event/{event.pk}/?erid=LjN8K8A6b", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "https://events.example/reg?utm_source=polosa&erid=LjN8K8A6b"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert stats("event", event.pk) == (0, 1)


def test_click_on_a_project_or_partner_article_goes_to_the_advertiser(client, home, partner_index):
    project = SpecialProjectPageFactory(parent=home, erid="Kra23f4Xq")
    article = PartnerArticlePageFactory(parent=partner_index, erid="AbCdEf12")
    response = client.get(f"/_util/promos/go/project/{project.pk}/", HTTP_USER_AGENT=BROWSER)
    assert response["Location"] == "https://romashka.example/offer?erid=Kra23f4Xq"
    response = client.get(f"/_util/promos/go/article/{article.pk}/", HTTP_USER_AGENT=BROWSER)
    assert response["Location"] == "https://romashka.example/offer?erid=AbCdEf12"
    assert stats("article", article.pk) == (0, 1)


def test_click_on_a_missing_draft_or_unknown_promo_is_404(client):
    draft = EventPromoFactory(live=False)
    assert client.get(f"/_util/promos/go/event/{draft.pk}/").status_code == 404
    assert client.get("/_util/promos/go/event/424242/").status_code == 404
    assert client.get("/_util/promos/go/banner/1/").status_code == 404
    assert client.get(f"/_util/promos/go/event/{2**64}/").status_code == 404
    assert not PromoDay.objects.exists()


def test_bots_and_head_requests_follow_the_redirect_without_counting(client):
    event = EventPromoFactory()
    assert (
        client.get(f"/_util/promos/go/event/{event.pk}/", HTTP_USER_AGENT="YandexBot/3.0").status_code == 302
    )
    assert client.head(f"/_util/promos/go/event/{event.pk}/", HTTP_USER_AGENT=BROWSER).status_code == 302
    assert not PromoDay.objects.exists()


def test_counts_are_kept_per_day(db):
    today = timezone.localdate()
    counting.add("event", 7, counting.IMPRESSIONS, today - timedelta(days=1))
    counting.add("event", 7, counting.IMPRESSIONS, today)
    counting.add("event", 7, counting.IMPRESSIONS, today)
    counting.add("event", 7, counting.CLICKS, today)
    assert list(PromoDay.objects.order_by("day").values_list("impressions", "clicks")) == [(1, 0), (2, 1)]


def test_a_row_created_by_a_concurrent_request_is_added_to(monkeypatch, db):
    """The insert loses a race with another request's insert: the count goes into that row."""
    today = timezone.localdate()
    real_create = PromoDay.objects.create

    def racing_create(**kwargs):
        real_create(kind="event", object_id=9, day=today, impressions=5)
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(PromoDay.objects, "create", racing_create)
    # The other request's row must survive our failed insert, as it would in its own transaction.
    monkeypatch.setattr(counting.transaction, "atomic", contextlib.nullcontext)
    counting.add("event", 9, counting.IMPRESSIONS, today)
    assert PromoDay.objects.get().impressions == 6


def test_partner_articles_are_excluded_from_news_only_surfaces(partner_index, article_factory):
    news = article_factory(title="Новость")
    paid = PartnerArticlePageFactory(parent=partner_index)
    result = list(newsworthy.newsworthy(ArticlePage.objects.live()))
    assert news in result
    assert paid.pk not in [a.pk for a in result]
    # Ordinary listings still show it, with its marking.
    assert paid.pk in ArticlePage.objects.published().values_list("pk", flat=True)


# --- The admin report -----------------------------------------------------------------------------


def test_admin_report_lists_totals_and_draws_the_chart(client, home):
    event = EventPromoFactory(title="Семинар о бюджетах")
    today = timezone.localdate()
    PromoDay.objects.create(kind="event", object_id=event.pk, day=today, impressions=40, clicks=3)
    PromoDay.objects.create(
        kind="event", object_id=event.pk, day=today - timedelta(days=1), impressions=10, clicks=1
    )
    PromoDay.objects.create(kind="event", object_id=event.pk, day=today - timedelta(days=40), impressions=999)
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))

    response = client.get("/admin/promos/report/?days=30")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Статистика рекламы" in html
    row = html[html.index(f'data-report-row="event:{event.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Семинар о бюджетах" in row
    assert "<td>50</td>" in row
    assert "<td>4</td>" in row
    start = html.index("data-promo-chart")
    svg = html[start : html.index("</svg>", start)]
    coordinates = re.findall(r' (?:x|y|width|height)="([^"]*)"', svg)
    assert coordinates
    assert all(re.fullmatch(r"-?[0-9.]+", c) for c in coordinates)  # "41.5", never the Russian "41,5"
    assert "<polyline" in svg
    assert svg.count("<rect") == 30


def test_report_refuses_readers_and_survives_a_malformed_days(client, db):
    assert client.get("/admin/promos/report/").status_code in (302, 403)
    user = get_user_model().objects.create_user("reader", "r@example.com", "pw")
    client.force_login(user)
    assert client.get("/admin/promos/report/").status_code in (302, 403)
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))
    assert client.get("/admin/promos/report/?days=abc").status_code == 200
    assert client.get("/admin/promos/report/?days=-5").status_code == 200


def test_report_menu_item_is_in_the_admin(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))
    html = client.get("/admin/").content.decode()
    assert "/admin/promos/report/" in html


def test_a_flood_from_one_client_is_cut_off(client, settings):
    settings.POLOSA_READS_PER_MINUTE = 2
    event = EventPromoFactory()
    assert [beacon(client, f"event:{event.pk}").status_code for _ in range(3)] == [204, 204, 429]
    client.get(f"/_util/promos/go/event/{event.pk}/", HTTP_USER_AGENT=BROWSER)
    assert stats("event", event.pk) == (2, 0)  # the redirect still works, the click is not counted


def test_a_spoofed_forwarded_for_does_not_escape_the_promo_rate_limit(client, settings):
    settings.POLOSA_TRUSTED_PROXIES = 1
    settings.POLOSA_READS_PER_MINUTE = 2
    event = EventPromoFactory()
    statuses = [
        beacon(
            client, f"event:{event.pk}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 10.0.0.5"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [204, 204, 429, 429]
    # Another reader behind the same proxy has a limit of its own.
    other = beacon(client, f"event:{event.pk}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.6")
    assert other.status_code == 204
    assert stats("event", event.pk) == (3, 0)


def test_chart_scales_every_day_to_the_busiest_one():
    from datetime import date

    from polosa.promos.report import CHART_HEIGHT, PAD, chart

    series = [(date(2026, 1, 1), 0, 0), (date(2026, 1, 2), 100, 10), (date(2026, 1, 3), 50, 5)]
    drawn = chart(series)
    assert drawn.max_value == 100
    assert drawn.max_clicks == 10
    points = [tuple(map(float, p.split(","))) for p in drawn.impressions_points.split()]
    assert points[0][1] == CHART_HEIGHT - PAD  # zero sits on the axis
    assert points[1][1] == PAD  # the maximum touches the top
    assert points[0][0] < points[1][0] < points[2][0]
    assert [bar[4] for bar in drawn.bars] == [0, 10, 5]
    assert drawn.bars[1][1] == PAD  # the busiest day's clicks reach the top of their own scale
