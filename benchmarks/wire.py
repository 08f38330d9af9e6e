"""Wire ingest: items per second from files, de-duplication correctness, inbox latency at 100,000 items.

    python -m benchmarks.wire [--items 10000] [--inbox-items 100000]   # the configured database
    make bench-wire                                                     # the same, migrating first

Writes `--items` agency items as files of mixed formats into temporary folders (one folder source per
agency): NewsML-G2 newsItem files and newsMessage files of 10 items for the first agency, ninjs 1.x
and 2.x files for the second, RSS 2.0 and Atom files of 20 entries for the third. The text is made of
invented Russian words from a fixed seed. Among the items are planted duplicates whose fate is known:
exact re-deliveries (same guid and version, in another file), re-sends under a new guid (same text),
newer versions of earlier items, and the same story retold by another agency (a near-duplicate that
should be grouped). The folders are read by the worker's own function (`transports.watch_folder`) and
timed; then the inbox is topped up to `--inbox-items` rows and its page (the admin view through
Django's test client, logged in) is timed unfiltered, filtered and paged, p50/p95 over 30 requests.

The < 5 s target from a file landing to the item in the inbox is measured end to end: the worker's
own scheduler loop (`run_worker`'s, with only the folder job registered) runs in a thread at
`run_worker`'s default ``--schedule-interval`` and at 2 s, and `--latency-drops` files are dropped
into a watched folder at random points of its cycle (written under a .part name, then renamed, as an
upload is); each is timed until the inbox query returns it. The push endpoint is timed the same way
from the POST to the item in the inbox (it stores before it answers).
Everything the benchmark made is deleted afterwards. Results also go to var/bench/wire.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import django

SLUG = "bench-wire"
PUSH_TOKEN_ENV = "POLOSA_BENCH_WIRE_PUSH_TOKEN"  # noqa: S105 - the variable's name, not a token
AGENCIES = ("Бенч-Вестник", "Бенч-Экспресс", "Бенч-Север")
SYLLABLES = "ка ло ми ну ре са ти во ды зе ро на ве ба гу па ко ри ст жи ме фа ше ю хо це ща бы мо".split()  # noqa: SIM905
NEWSML = "http://iptc.org/std/nar/2006-10-01/"


class Story:
    def __init__(self, rng: random.Random, vocabulary: list[str], n: int):
        self.n = n
        self.headline = " ".join(rng.choice(vocabulary) for _ in range(9)).capitalize()
        self.paragraphs = [" ".join(rng.choice(vocabulary) for _ in range(40)) + "." for _ in range(3)]

    def retold(self, rng: random.Random, vocabulary: list[str]) -> Story:
        """The same story as another agency tells it: a few words changed, the rest as sent."""
        other = Story.__new__(Story)
        other.n = self.n
        words = self.headline.split()
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
        other.headline = " ".join(words)
        other.paragraphs = []
        for paragraph in self.paragraphs:
            words = paragraph.split()
            for _ in range(4):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            other.paragraphs.append(" ".join(words))
        return other


def _xml_escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def newsml_item(guid: str, version: int, story: Story, urgency: int) -> str:
    body = "".join(f"<p>{_xml_escape(p)}</p>" for p in story.paragraphs)
    return (
        f'<newsItem xmlns="{NEWSML}" guid="{guid}" version="{version}" standard="NewsML-G2" '
        f'standardversion="2.34" conformance="power" xml:lang="ru">'
        '<catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>'
        '<itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-12-03T10:00:00Z</versionCreated>'
        '<pubStatus qcode="stat:usable"/></itemMeta>'
        f"<contentMeta><urgency>{urgency}</urgency><headline>{_xml_escape(story.headline)}</headline></contentMeta>"
        '<contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet>'
        "</newsItem>"
    )


def ninjs_item(guid: str, version: int, story: Story, urgency: int, major: int) -> dict:
    body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    base = {
        "uri": guid,
        "version": str(version),
        "versioncreated": "2026-12-03T10:00:00Z",
        "urgency": urgency,
    }
    if major == 1:
        return {**base, "headline": story.headline, "body_html": body, "pubstatus": "usable"}
    return {
        **base,
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": story.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": body}],
    }


def rss_item(guid: str, story: Story) -> str:
    body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    return (
        f'<item><title>{_xml_escape(story.headline)}</title><guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Thu, 03 Dec 2026 10:00:00 +0000</pubDate>"
        f"<description>{_xml_escape(body)}</description></item>"
    )


def atom_entry(guid: str, story: Story) -> str:
    body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    return (
        f"<entry><title>{_xml_escape(story.headline)}</title><id>{guid}</id>"
        "<updated>2026-12-03T10:00:00Z</updated>"
        f'<content type="html">{_xml_escape(body)}</content></entry>'
    )


def write_documents(root: Path, items: int, seed: int = 2026) -> dict:
    """Write the three agencies' folders; return what the ingest must end up with."""
    rng = random.Random(seed)
    # A newsroom-sized vocabulary: random stories share few words, as real ones on different subjects do.
    vocabulary = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))) for _ in range(20000)]
    folders = [root / f"agency-{i}" for i in range(3)]
    for folder in folders:
        folder.mkdir()
    # Per agency: a list of (guid, version, story) deliveries, in delivery order.
    deliveries: list[list[tuple[str, int, Story]]] = [[], [], []]
    expected_rows: list[set[str]] = [set(), set(), set()]
    planted = {"exact": 0, "resent": 0, "updates": 0, "retold": 0}
    retold_pairs = []
    n = 0
    total = 0
    while total < items:
        agency = n % 3
        story = Story(rng, vocabulary, n)
        guid = f"urn:bench:{agency}:{n}"
        deliveries[agency].append((guid, 1, story))
        expected_rows[agency].add(guid)
        total += 1
        roll = rng.random()
        if roll < 0.05 and total < items:  # the same item delivered again
            deliveries[agency].append((guid, 1, story))
            planted["exact"] += 1
            total += 1
        elif roll < 0.08 and total < items:  # re-sent under a new envelope
            deliveries[agency].append((f"urn:bench:{agency}:{n}:resent", 1, story))
            planted["resent"] += 1
            total += 1
        elif roll < 0.10 and total < items:  # a newer version (a correction)
            corrected = Story.__new__(Story)
            corrected.n, corrected.headline = n, story.headline + " (уточнено)"
            corrected.paragraphs = [*story.paragraphs, "Уточнение агентства."]
            deliveries[agency].append((guid, 2, corrected))
            planted["updates"] += 1
            total += 1
        elif roll < 0.15 and total < items and agency == 0:  # the story retold by the second agency
            other_guid = f"urn:bench:1:retold-{n}"
            deliveries[1].append((other_guid, 1, story.retold(rng, vocabulary)))
            expected_rows[1].add(other_guid)
            retold_pairs.append((guid, other_guid))
            planted["retold"] += 1
            total += 1
        n += 1

    files = 0
    # Agency 0: NewsML-G2, every other batch a newsMessage of 10 items, the rest single newsItems.
    # File names sort in delivery order (the folder is read in name order), so what arrives first is known.
    batch: list[str] = []
    for i, (guid, version, story) in enumerate(deliveries[0]):
        item = newsml_item(guid, version, story, urgency=1 + i % 9)
        if (i // 10) % 2:
            batch.append(item)
            if len(batch) == 10 or i == len(deliveries[0]) - 1:
                message = f'<newsMessage xmlns="{NEWSML}"><header><sent>2026-12-03T10:00:00Z</sent></header>'
                message += f"<itemSet>{''.join(batch)}</itemSet></newsMessage>"
                name = f"{i - len(batch) + 1:06d}-message.xml"
                (folders[0] / name).write_text('<?xml version="1.0" encoding="UTF-8"?>' + message)
                files += 1
                batch = []
        else:
            (folders[0] / f"{i:06d}-item.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>' + item)
            files += 1
    # Agency 1: ninjs, 1.x and 2.x alternately, one item a file.
    for i, (guid, version, story) in enumerate(deliveries[1]):
        document = ninjs_item(guid, version, story, urgency=1 + i % 9, major=1 + i % 2)
        (folders[1] / f"{i:06d}-item.json").write_text(json.dumps(document, ensure_ascii=False))
        files += 1
    # Agency 2: RSS 2.0 and Atom files of 20 entries (feeds carry no versions: skip the corrections).
    entries = [(g, s) for g, v, s in deliveries[2] if v == 1]
    planted["updates"] -= sum(1 for _g, v, _s in deliveries[2] if v != 1)
    for start in range(0, len(entries), 20):
        chunk = entries[start : start + 20]
        if (start // 20) % 2:
            body = "".join(atom_entry(g, s) for g, s in chunk)
            text = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Бенч</title><id>bench</id>{body}</feed>'
        else:
            body = "".join(rss_item(g, s) for g, s in chunk)
            text = f'<rss version="2.0"><channel><title>Бенч</title>{body}</channel></rss>'
        (folders[2] / f"{start:06d}-feed.xml").write_text(text)
        files += 1
    delivered = len(deliveries[0]) + len(deliveries[1]) + len(entries)
    return {
        "folders": folders,
        "files": files,
        "delivered": delivered,
        "expected_rows": sum(len(rows) for rows in expected_rows),
        "planted": planted,
        "retold_pairs": retold_pairs,
    }


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _top_up(target: int, sources, section) -> int:
    """Bulk rows (not ingested: only the inbox's reading is timed) until the table holds `target`."""
    from django.utils import timezone

    from polosa.wire.models import WireItem

    have = WireItem.objects.count()
    missing = max(target - have, 0)
    now = timezone.now()
    rng = random.Random(7)
    batch = []
    for i in range(missing):
        source = sources[i % len(sources)]
        batch.append(
            WireItem(
                source=source,
                agency=source.agency,
                guid=f"urn:bench:fill:{i}",
                headline=f"Сообщение для проверки скорости ленты номер {i}",
                lead="Короткое описание.",
                body="<p>Текст.</p>",
                format="bench",
                urgency=1 + i % 9,
                section=section if i % 4 == 0 else None,
                received_at=now - timedelta(seconds=i * 3),
                available_at=now - timedelta(seconds=i * 3),
                seen_at=now if rng.random() < 0.7 else None,
                fingerprint=f"fill-{i}",
                search_stems=" сообщен проверк скорост лент номер ",
            )
        )
        if len(batch) == 5000:
            WireItem.objects.bulk_create(batch)
            batch = []
    if batch:
        WireItem.objects.bulk_create(batch)
    return missing


def _time_inbox(client, params: dict, runs: int) -> dict:
    """The admin page as the editor gets it, and apart from it the inbox's own queries (`inbox.page`)."""
    from django.urls import reverse

    from polosa.wire import inbox

    url = reverse("wire_inbox")
    client.get(url, params)  # warm
    samples, queries = [], []
    filters = inbox.Filters.from_query(params)
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url, params)
        samples.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise RuntimeError(f"inbox answered {response.status_code} for {params}")
        began = time.perf_counter()
        inbox.page(filters, before=params.get("before", ""))
        queries.append(time.perf_counter() - began)
    page = _percentiles(samples)
    rows = _percentiles(queries)
    return {**page, "rows_p50_ms": rows["p50_ms"], "rows_p95_ms": rows["p95_ms"]}


def default_schedule_interval() -> float:
    """The scheduler's interval of a plain `manage.py run_worker` (what `make run` starts)."""
    from polosa.core.management.commands import run_worker

    return float(
        run_worker.Command().create_parser("manage.py", "run_worker").get_default("schedule_interval")
    )


def folder_to_inbox(folder: Path, drops: int, interval: float, seed: int = 5) -> dict:
    """Seconds from a file landing in `folder` to its item in the inbox, with the scheduler running."""
    import threading
    from unittest import mock

    from django.db import connection

    from polosa.core import periodic
    from polosa.core.management.commands import run_worker
    from polosa.wire.models import WireItem

    job = next(job for job in periodic.jobs() if job.name == "wire.watch_folders")
    stop = threading.Event()

    def scheduler():
        try:
            run_worker.Command()._schedule(stop, interval)
        finally:
            connection.close()  # the thread's own connection

    rng = random.Random(seed)
    samples = []
    with mock.patch.object(periodic, "jobs", return_value=[job]):
        thread = threading.Thread(target=scheduler, name="bench-scheduler", daemon=True)
        thread.start()
        try:
            for i in range(drops):
                time.sleep(rng.uniform(0, interval))  # a random point of the scheduler's cycle
                guid = f"urn:bench:latency:{interval}:{i}"
                # Its own text each time: the same text under a new guid would be dropped as a re-send.
                text = f"Проверка задержки {i} при опросе каждые {interval} с"
                document = {"uri": guid, "headline": text, "body_html": "<p>Текст.</p>"}
                part = folder / f"latency-{interval}-{i}.json.part"
                part.write_text(json.dumps(document, ensure_ascii=False))
                part.rename(part.with_suffix(""))
                landed = time.perf_counter()
                while not WireItem.objects.in_inbox().filter(guid=guid).exists():
                    if time.perf_counter() - landed > 60:
                        raise RuntimeError(f"{guid} did not reach the inbox within 60 s")
                    time.sleep(0.01)
                samples.append(time.perf_counter() - landed)
        finally:
            stop.set()
            thread.join(timeout=60)
    ordered = sorted(samples)
    return {
        "schedule_interval_s": interval,
        "drops": drops,
        "p50_s": round(statistics.median(ordered), 2) if ordered else None,
        "max_s": round(ordered[-1], 2) if ordered else None,
        "within_5_s": sum(1 for sample in ordered if sample < 5),
    }


def push_to_inbox(source, token: str, runs: int) -> dict:
    """Milliseconds from POSTing a ninjs item to the push endpoint to its answer; the item must then
    be in the inbox already."""
    from django.test import Client
    from django.urls import reverse

    from polosa.wire.models import WireItem

    client = Client(HTTP_HOST="localhost")
    url = reverse("wire_push", args=[source.slug])
    samples, visible = [], 0
    for i in range(runs):
        guid = f"urn:bench:push:{i}"
        document = {"uri": guid, "headline": f"Проверка доставки {i}", "body_html": "<p>Текст.</p>"}
        began = time.perf_counter()
        response = client.post(
            url,
            data=json.dumps(document, ensure_ascii=False),
            content_type="application/json",
            headers={"authorization": f"Bearer {token}"},
        )
        samples.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise RuntimeError(f"the push endpoint answered {response.status_code}")
        visible += WireItem.objects.in_inbox().filter(guid=guid).exists()
    return {**_percentiles(samples), "runs": runs, "in_inbox_at_answer": visible}


def cleanup() -> None:
    from polosa.wire.models import RawDocument, Source

    sources = Source.objects.filter(slug__startswith=SLUG)
    RawDocument.objects.filter(source__in=sources).delete()
    sources.delete()


def run(items: int, inbox_items: int, runs: int = 30, stream=sys.stdout, latency_drops: int = 6) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings

    from polosa.news.models import SectionPage
    from polosa.wire import inbox, transports
    from polosa.wire.models import Source, SourceKind, WireItem

    cleanup()
    section = SectionPage.objects.first()
    made_section = section is None
    if made_section:  # an empty database: the inbox needs a section to offer
        from wagtail.models import Site

        home = Site.objects.get(is_default_site=True).root_page
        section = home.add_child(instance=SectionPage(title="Бенчмарк лент", slug=SLUG))
    with tempfile.TemporaryDirectory() as tmp:
        plan = write_documents(Path(tmp), items)
        sources = [
            Source.objects.create(
                name=f"Бенчмарк {i}",
                slug=f"{SLUG}-{i}",
                agency=agency,
                kind=SourceKind.FOLDER,
                folder=str(folder),
                attribution=f"по данным {agency}",
                default_section=section,
            )
            for i, (agency, folder) in enumerate(zip(AGENCIES, plan["folders"], strict=True))
        ]
        with override_settings(POLOSA_WIRE_SETTLE_SECONDS=0):
            began, began_cpu = time.perf_counter(), time.process_time()
            results = []
            for source in sources:
                results += transports.watch_folder(source, limit=10**6)
            seconds = time.perf_counter() - began
            cpu_seconds = time.process_time() - began_cpu

            # One more file into a folder the worker watches: how long until it is in the inbox.
            latency_file = plan["folders"][1] / "latency.json"
            latency_file.write_text(
                json.dumps(
                    {"uri": "urn:bench:latency", "headline": "Проверка задержки", "body_html": "<p>x</p>"}
                )
            )
            began_one = time.perf_counter()
            transports.watch_folders()
            one_file = time.perf_counter() - began_one
        # With the folder's real settle time: a file is read once it has stopped changing.
        intervals = sorted({default_schedule_interval(), 2.0}, reverse=True)
        folder_latency = (
            [folder_to_inbox(plan["folders"][1], latency_drops, interval) for interval in intervals]
            if latency_drops
            else []
        )
    token = secrets.token_urlsafe(24)
    os.environ[PUSH_TOKEN_ENV] = token
    try:
        push_source = Source.objects.create(
            name="Бенчмарк, push",
            slug=f"{SLUG}-push",
            agency=AGENCIES[1],
            kind=SourceKind.PUSH,
            token_env=PUSH_TOKEN_ENV,
            attribution=f"по данным {AGENCIES[1]}",
        )
        push_latency = push_to_inbox(push_source, token, runs)
    finally:
        os.environ.pop(PUSH_TOKEN_ENV, None)
    refused = [r.error for r in results if not r.ok]
    stored = WireItem.objects.filter(source__in=sources).exclude(guid__startswith="urn:bench:latency")
    rows = stored.count()
    resent_stored = stored.filter(guid__endswith=":resent").count()
    updated = stored.filter(version=2).count()
    grouped_pairs = 0
    for first, second in plan["retold_pairs"]:
        a = stored.filter(guid=first).values_list("group_id", "pk").first()
        b = stored.filter(guid=second).values_list("group_id").first()
        if a and b and b[0] is not None and b[0] in (a[0], a[1]):
            grouped_pairs += 1
    paired = {guid for pair in plan["retold_pairs"] for guid in pair}
    false_groups = [
        g for g in stored.filter(group__isnull=False).values_list("guid", flat=True) if g not in paired
    ]
    dedup = {
        "delivered": plan["delivered"],
        "expected_rows": plan["expected_rows"],
        "stored_rows": rows,
        "exact_redeliveries": plan["planted"]["exact"],
        "resent_new_envelope": plan["planted"]["resent"],
        "resent_stored_by_mistake": resent_stored,
        "updates_expected": plan["planted"]["updates"],
        "updates_applied": updated,
        "retold_pairs": len(plan["retold_pairs"]),
        "retold_pairs_grouped": grouped_pairs,
        "grouped_without_a_planted_twin": len(false_groups),
        "correct": rows == plan["expected_rows"]
        and resent_stored == 0
        and updated == plan["planted"]["updates"],
    }

    topped = _top_up(inbox_items, sources, section)
    if connection.vendor == "postgresql":
        # Autovacuum would analyse a table that grew this much within a minute or so; without fresh
        # statistics the planner takes 100,000 rows for an empty table and sorts them all.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wire_wireitem")
            cursor.execute("ANALYZE wire_wireband")
    user = get_user_model().objects.filter(is_superuser=True).first()
    made_user = user is None
    if made_user:
        user = get_user_model().objects.create_superuser("bench-wire", "bench@example.org", "bench-wire")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    first_page = inbox.page(inbox.Filters())
    latency = {
        "first_page": _time_inbox(client, {}, runs),
        "next_page": _time_inbox(client, {"before": first_page.next_cursor}, runs),
        "agency": _time_inbox(client, {"agency": AGENCIES[1]}, runs),
        "urgency_up_to_2": _time_inbox(client, {"urgency": 2}, runs),
        "section": _time_inbox(client, {"section": section.pk} if section else {}, runs),
        "unseen": _time_inbox(client, {"state": "unseen"}, runs),
        "words": _time_inbox(client, {"q": "проверка скорости"}, runs),
        # A word in no row: every row is read (a sequential scan), the worst case of the word filter.
        "words_matching_nothing": _time_inbox(client, {"q": "несуществующееслово"}, runs),
    }
    total_rows = WireItem.objects.count()
    if made_user:
        user.delete()
    if made_section:
        WireItem.objects.filter(section=section).update(section=None)
        section.delete()
    result = {
        "database": connection.vendor,
        "items": items,
        "files": plan["files"],
        "refused_documents": len(refused),
        "ingest_seconds": round(seconds, 2),
        "items_per_second": round(plan["delivered"] / seconds, 1),
        # On a shared machine the wall clock counts other people's work too; this counts ours only.
        "ingest_cpu_seconds": round(cpu_seconds, 2),
        "items_per_cpu_second": round(plan["delivered"] / cpu_seconds, 1),
        "load_average": os.getloadavg()[0],
        "one_file_to_inbox_ms": round(one_file * 1000, 1),
        "folder_to_inbox": folder_latency,
        "push_to_inbox": push_latency,
        "dedup": dedup,
        "inbox_rows": total_rows,
        "inbox_rows_added_for_latency": topped,
        "inbox_latency": latency,
    }
    cleanup()
    print(
        f"wire on {result['database']}: {plan['delivered']} items in {plan['files']} files ingested in "
        f"{seconds:.2f} s ({result['items_per_second']} items/s; {cpu_seconds:.2f} s of CPU, "
        f"{result['items_per_cpu_second']} items per CPU second; load average {result['load_average']}); "
        "one file to the inbox in "
        f"{result['one_file_to_inbox_ms']} ms",
        file=stream,
    )
    print(
        f"de-duplication: {rows} rows stored, {plan['expected_rows']} expected; "
        f"{plan['planted']['exact']} re-deliveries and {plan['planted']['resent']} re-sends dropped "
        f"({resent_stored} kept by mistake); {updated}/{plan['planted']['updates']} updates applied; "
        f"{grouped_pairs}/{len(plan['retold_pairs'])} retold stories grouped, "
        f"{dedup['grouped_without_a_planted_twin']} other items grouped -> "
        f"{'correct' if dedup['correct'] else 'WRONG'}",
        file=stream,
    )
    for figures in folder_latency:
        print(
            f"folder to inbox with the scheduler every {figures['schedule_interval_s']} s: "
            f"p50 {figures['p50_s']} s, max {figures['max_s']} s, "
            f"{figures['within_5_s']}/{figures['drops']} files within 5 s",
            file=stream,
        )
    print(
        f"push to inbox: answered p50 {push_latency['p50_ms']} ms, p95 {push_latency['p95_ms']} ms, "
        f"{push_latency['in_inbox_at_answer']}/{push_latency['runs']} in the inbox at the answer",
        file=stream,
    )
    for name, figures in latency.items():
        print(
            f"inbox at {total_rows} rows, {name}: page p50 {figures['p50_ms']} ms, "
            f"p95 {figures['p95_ms']} ms; "
            f"its rows (inbox.page) p50 {figures['rows_p50_ms']} ms, p95 {figures['rows_p95_ms']} ms",
            file=stream,
        )
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--inbox-items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--latency-drops",
        type=int,
        default=6,
        help="files dropped into a watched folder per scheduler interval to time folder-to-inbox (0: skip)",
    )
    parser.add_argument("--json", default="var/bench/wire.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    django.setup()
    import logging

    logging.getLogger("polosa.wire").setLevel(logging.WARNING)
    result = run(args.items, args.inbox_items, args.runs, latency_drops=args.latency_drops)
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
