"""Read counting: a beacon without cookies, bots left out, a rate limit, batches, "most read"."""

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone

from polosa.caching import CACHE_HEADER
from polosa.readership import reads
from polosa.readership.models import ArticleReadHour, ArticleReadTotal
from polosa.readership.tasks import flush_reads
from testsupport import clear_cache

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def beacon(client, article, ua=BROWSER, ip="10.1.2.3", **extra):
    return client.post(f"/_util/feed/read/{article.pk}/", HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **extra)


def test_a_read_is_counted_and_the_answer_carries_the_fresh_total(client, article_factory):
    article = article_factory()
    response = beacon(client, article)
    assert response.status_code == 200
    assert json.loads(response.content) == {"counted": True, "reads": 1, "display": "1"}
    assert json.loads(beacon(client, article, ip="10.9.9.9").content)["reads"] == 2
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_a_reload_by_the_same_reader_is_not_counted_again(client, article_factory):
    article = article_factory()
    beacon(client, article)
    again = json.loads(beacon(client, article).content)
    assert again == {"counted": False, "reads": 1, "display": "1"}


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
        "Mozilla/5.0 " + "x" * 1000,
    ],
)
def test_bots_are_not_counted(client, article_factory, ua):
    article = article_factory()
    assert beacon(client, article, ua=ua).status_code == 204
    assert reads.take_pending() == {}


def test_a_flood_from_one_client_is_rate_limited_but_others_still_count(client, article_factory, settings):
    settings.POLOSA_READS_PER_MINUTE = 5
    articles = [article_factory() for _ in range(7)]
    statuses = [beacon(client, a).status_code for a in articles]
    assert statuses == [200] * 5 + [429] * 2
    assert beacon(client, articles[0], ip="10.7.7.7").status_code == 200
    refused = beacon(client, articles[6])
    assert refused["Retry-After"] == "60"
    assert "Слишком много запросов" in json.loads(refused.content)["error"]


def test_a_spoofed_forwarded_for_does_not_escape_the_rate_limit(client, article_factory, settings):
    # One proxy appends the address it saw; whatever the client wrote before it is not trusted.
    settings.POLOSA_TRUSTED_PROXIES = 1
    settings.POLOSA_READS_PER_MINUTE = 3
    articles = [article_factory() for _ in range(5)]
    statuses = [
        beacon(client, a, ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 10.0.0.5").status_code
        for n, a in enumerate(articles)
    ]
    assert statuses == [200] * 3 + [429] * 2
    other = beacon(client, articles[0], ip="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.6")
    assert other.status_code == 200


def test_no_address_is_kept(client, article_factory):
    article = article_factory()
    beacon(client, article, ip="203.0.113.77")
    flush_reads.enqueue()
    stored = repr(list(ArticleReadHour.objects.values())) + repr(list(ArticleReadTotal.objects.values()))
    assert "203.0.113.77" not in stored
    token = reads.client_token(
        type("R", (), {"META": {"REMOTE_ADDR": "203.0.113.77"}, "headers": {"User-Agent": BROWSER}})()
    )
    assert "203.0.113" not in token
    assert len(token) == 24


def test_beacons_from_other_sites_and_other_methods_are_refused(client, article_factory):
    article = article_factory()
    assert beacon(client, article, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert beacon(client, article, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert beacon(client, article, HTTP_ORIGIN="http://testserver").status_code == 200
    assert client.get(f"/_util/feed/read/{article.pk}/").status_code == 405


def test_unknown_or_unpublished_articles_are_not_counted(client, article_factory):
    draft = article_factory(live=False)
    assert beacon(client, draft).status_code == 404
    assert client.post("/_util/feed/read/999999/", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.post("/_util/feed/read/abc/", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.post("/_util/feed/read/" + "9" * 30 + "/", HTTP_USER_AGENT=BROWSER).status_code == 404


def test_flush_moves_pending_reads_to_the_database_in_one_batch(
    client, article_factory, django_assert_max_num_queries
):
    one, two = article_factory(), article_factory()
    for n in range(3):
        beacon(client, one, ip=f"10.0.0.{n}")
    beacon(client, two, ip="10.0.1.1")
    with django_assert_max_num_queries(8):
        assert reads.flush() == 4
    assert ArticleReadTotal.objects.get(article=one).reads == 3
    assert sum(ArticleReadHour.objects.filter(article=one).values_list("reads", flat=True)) == 3
    # Nothing is counted twice, and the next batch adds to the stored figures.
    assert reads.flush() == 0
    beacon(client, one, ip="10.0.2.2")
    reads.flush()
    assert ArticleReadTotal.objects.get(article=one).reads == 4


def test_flush_skips_articles_deleted_meanwhile(client, article_factory):
    article = article_factory()
    beacon(client, article)
    article.delete()
    assert reads.flush() == 0


def test_flush_is_a_registered_periodic_job():
    from polosa.core import periodic

    assert "feed.flush_reads" in [job.name for job in periodic.jobs()]


def test_old_hours_are_forgotten_but_totals_kept(article_factory):
    article = article_factory()
    now = timezone.now()
    ArticleReadHour.objects.create(article=article, hour=now - timedelta(days=3), reads=5)
    ArticleReadTotal.objects.create(article=article, reads=5)
    reads.flush(now)
    assert not ArticleReadHour.objects.exists()
    assert ArticleReadTotal.objects.get(article=article).reads == 5


def test_counter_is_shown_beside_the_story_line_and_page_stays_cached(client, article_factory, story):
    article = article_factory(story=story)
    ArticleReadTotal.objects.create(article=article, reads=12344)
    beacon(client, article, ip="10.4.4.4")
    reads.flush()
    first = client.get(article.url)
    counter = BeautifulSoup(first.content, "html.parser").select_one(".article__kicker [data-read-count]")
    assert counter["data-read-url"] == f"/_util/feed/read/{article.pk}/"
    assert counter.get_text(" ", strip=True) == "Прочтений: 12\xa0345"
    # Counting and flushing never invalidate the article page; the beacon's answer is the fresh figure.
    beacon(client, article)
    reads.flush()
    assert client.get(article.url)[CACHE_HEADER] == "hit"
    assert json.loads(beacon(client, article, ip="10.3.3.3").content)["reads"] == 12347


def test_most_read_block_on_home_and_article_pages(client, article_factory, home, settings):
    settings.POLOSA_MOST_READ_REFRESH_SECONDS = 0
    now = timezone.now()
    popular = article_factory(title="Все это читают")
    quiet = article_factory(title="Это читают меньше")
    old = article_factory(title="Читали позавчера")
    ArticleReadHour.objects.create(article=old, hour=reads._hour(now) - timedelta(hours=30), reads=500)
    assert client.get(home.url).content.decode().count("Самое читаемое") == 0

    for n in range(3):
        beacon(client, popular, ip=f"10.5.0.{n}")
    beacon(client, quiet, ip="10.5.1.1")
    reads.flush()
    for url in (home.url, quiet.url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        block = soup.select_one(".most-read")
        assert block.h2.get_text() == "Самое читаемое"
        assert [a.get_text() for a in block.select("a")] == ["Все это читают", "Это читают меньше"]


def test_most_read_is_refreshed_at_most_every_few_minutes(client, article_factory, settings):
    settings.POLOSA_MOST_READ_REFRESH_SECONDS = 300
    a, b = article_factory(title="А"), article_factory(title="Б")
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    ArticleReadHour.objects.create(article=a, hour=start, reads=2)
    assert reads.refresh_most_read(start)
    ArticleReadHour.objects.create(article=b, hour=start, reads=5)
    assert not reads.refresh_most_read(start + timedelta(minutes=1))
    assert reads.refresh_most_read(start + timedelta(minutes=6))
    assert not reads.refresh_most_read(start + timedelta(minutes=12))  # nothing changed


def test_unpublishing_a_most_read_article_removes_it_from_the_block(client, article_factory, settings):
    settings.POLOSA_MOST_READ_REFRESH_SECONDS = 0
    page = article_factory(title="Страница")
    gone = article_factory(title="Снимут с публикации")
    beacon(client, gone)
    reads.flush()
    assert "Снимут с публикации" in client.get(page.url).content.decode().split("most-read", 1)[-1]
    gone.unpublish()
    assert "Снимут с публикации" not in client.get(page.url).content.decode()


def test_pending_reads_survive_in_the_cache_between_flushes(article_factory):
    article = article_factory()
    moment = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    reads.add_pending(article.pk, moment)
    reads.add_pending(article.pk, moment + timedelta(hours=1))
    assert reads.take_pending() == {
        (datetime(2026, 11, 25, 9, tzinfo=UTC), article.pk): 1,
        (datetime(2026, 11, 25, 10, tzinfo=UTC), article.pk): 1,
    }
    assert reads.take_pending() == {}


def test_total_is_seeded_from_the_database_after_the_cache_lost_it(article_factory):
    article = article_factory()
    ArticleReadTotal.objects.create(article=article, reads=41)
    assert reads.total(article.pk) == 41
    cache.delete(f"{reads.TOTAL_PREFIX}{article.pk}")
    assert reads.count_read(article.pk) == 42


# --- The rate limit and "already read" on the embedded default cache (no REDIS_URL) ----------------


def test_a_reload_is_not_counted_again_on_the_file_cache(file_cache, client, article_factory):
    test_a_reload_by_the_same_reader_is_not_counted_again(client, article_factory)


def test_a_flood_is_rate_limited_on_the_file_cache(file_cache, client, article_factory, settings):
    test_a_flood_from_one_client_is_rate_limited_but_others_still_count(client, article_factory, settings)


def test_simultaneous_beacons_of_one_reader_count_once_on_the_file_cache(file_cache):
    # Two tabs (or two app processes) receiving the same reader's beacon at the same moment.
    racers = 12
    barrier = threading.Barrier(racers)
    first = []

    def beacon_arrives():
        barrier.wait(timeout=10)
        allowed = reads.allow("reader-token")
        if allowed and reads.first_view("reader-token", 7):
            first.append(1)

    threads = [threading.Thread(target=beacon_arrives) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert len(first) == 1


def test_counter_is_hidden_until_the_article_has_reads(client, article_factory):
    article = article_factory()
    counter = BeautifulSoup(client.get(article.url).content, "html.parser").select_one("[data-read-count]")
    # The beacon still needs the address; the reader sees no "Прочтений: 0".
    assert counter["data-read-url"] == f"/_util/feed/read/{article.pk}/"
    assert counter.has_attr("hidden")

    ArticleReadTotal.objects.create(article=article, reads=3)
    clear_cache()
    counter = BeautifulSoup(client.get(article.url).content, "html.parser").select_one("[data-read-count]")
    assert not counter.has_attr("hidden")
    assert counter.get_text(" ", strip=True) == "Прочтений: 3"
