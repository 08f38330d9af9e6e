"""Save-to-delivery time of live-blog entries with many readers holding the event stream open.

    REDIS_URL=redis://127.0.0.1:6379/0 python -m benchmarks.live --readers 1000 --entries 20
    make bench-live REDIS_URL=redis://127.0.0.1:6379/0 READERS=1000

Starts the site under granian (one process, ASGI) on a free port against its own database
(``DATABASE_URL``, default the SQLite file var/bench-live.sqlite3, migrated first), opens
``--readers`` event streams of one live blog with aiohttp, waits until all are subscribed, then saves
``--entries`` entries through the ORM in this process (after one unmeasured warm-up save), one every
``--interval`` seconds, as an editor's save would (the entry and its event row commit, then the
frame goes out through Redis). For each entry it takes the time from just before the save to its
arrival at each reader and prints the median, 99th percentile and maximum over all deliveries and
the share delivered. The run is bounded by ``--timeout`` seconds. Redis is required: the saves
happen in this process and the streams in the server's, which is the set-up the Redis channel is for.

The readers share one Python process and one core with the saves, so the figures include the
client's own scheduling; they are an upper bound of what the server adds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def prepare_blog() -> int:
    from django.core.management import call_command

    from polosa.live.models import LiveBlogPage
    from testsupport import front_page

    call_command("migrate", verbosity=0, interactive=False)
    blog = LiveBlogPage.objects.filter(slug="bench-live").first()
    if blog is None:
        home = front_page()
        blog = home.add_child(
            instance=LiveBlogPage(title="Нагрузочная трансляция", slug="bench-live", lead=".")
        )
        blog.save_revision().publish()
    return blog.pk


def start_server(port: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asginl",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--backlog",
        "4096",
        "--log-level",
        "warning",
        "polosa.asgi:application",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT)


async def wait_for_server(url: str, timeout: float = 30) -> None:
    import aiohttp

    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not answer within {timeout} s")


class Reader:
    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        self.subscribed = asyncio.Event()
        self.error: str = ""

    async def run(self, session, url: str) -> None:
        try:
            async with session.get(url, headers={"Accept": "text/event-stream"}) as response:
                if response.status != 200:
                    self.error = f"HTTP {response.status}"
                    return
                async for line in response.content:
                    self.subscribed.set()
                    if line.startswith(b"id: "):
                        self.arrivals[int(line[4:])] = time.time()
        except (asyncio.CancelledError, GeneratorExit):
            raise
        except Exception as error:
            self.error = repr(error)
        finally:
            self.subscribed.set()


async def measure(args, base_url: str, page_id: int) -> dict:
    import aiohttp
    from asgiref.sync import sync_to_async

    from polosa.live.models import LiveBlogEntry, LiveBlogEvent

    def latest() -> int:
        return (
            LiveBlogEvent.objects.filter(page_id=page_id).order_by("-pk").values_list("pk", flat=True).first()
            or 0
        )

    # One unmeasured save first: an editor saves through a long-running server process whose
    # templates, rich-text rewriters and Redis connection are warm (the first save costs ~1.5 s more).
    await asyncio.to_thread(
        lambda: LiveBlogEntry.objects.create(page_id=page_id, body="<p>Разогрев перед замером</p>")
    )
    after = await sync_to_async(latest)()
    url = f"{base_url}/_util/live/{page_id}/events/?after={after}"
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    readers = [Reader() for _ in range(args.readers)]
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        tasks = []
        for n, reader in enumerate(readers):
            tasks.append(asyncio.create_task(reader.run(session, url)))
            if n % 100 == 99:
                await asyncio.sleep(0.05)  # a connection burst, not a SYN flood
        await asyncio.wait_for(asyncio.gather(*(r.subscribed.wait() for r in readers)), args.timeout / 2)
        connect_seconds = time.monotonic() - started
        failed = [r.error for r in readers if r.error]
        print(f"{args.readers - len(failed)} readers connected in {connect_seconds:.1f} s", file=sys.stderr)
        await asyncio.sleep(0.5)

        saves: dict[int, float] = {}

        def save(n: int) -> None:
            t0 = time.time()
            LiveBlogEntry.objects.create(page_id=page_id, body=f"<p>Нагрузочная запись {n}</p>")
            saves[latest()] = t0

        deadline = time.monotonic() + args.timeout / 2
        for n in range(args.entries):
            await asyncio.to_thread(save, n)
            await asyncio.sleep(args.interval)
        # Let the last deliveries arrive.
        while time.monotonic() < deadline:
            if all(len(r.arrivals) >= args.entries for r in readers if not r.error):
                break
            await asyncio.sleep(0.2)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    latencies = [
        (arrived - saves[event_id]) * 1000
        for r in readers
        for event_id, arrived in r.arrivals.items()
        if event_id in saves
    ]
    expected = len(saves) * args.readers
    per_entry = [
        [(r.arrivals[event_id] - t0) * 1000 for r in readers if event_id in r.arrivals]
        for event_id, t0 in sorted(saves.items())
    ]
    return {
        "readers": args.readers,
        "readers_failed": len(failed),
        "failures": sorted(set(failed))[:5],
        "entries": len(saves),
        "connect_seconds": round(connect_seconds, 2),
        "delivered": len(latencies),
        "expected": expected,
        "delivered_share": round(len(latencies) / expected, 4) if expected else 0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        # Per save, in order: when the first and the last reader had it (ms after the save).
        "per_entry_first_last_ms": [[round(min(v)), round(max(v))] for v in per_entry if v],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between saves")
    parser.add_argument("--timeout", type=float, default=120, help="bound on the whole run (seconds)")
    parser.add_argument("--json", default=str(ROOT / "var" / "bench" / "live.json"))
    args = parser.parse_args()

    # A `timeout` or Ctrl+C must still stop the server this script started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("benchmarks.live: terminated"))
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        sys.exit("benchmarks.live needs Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/0")
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polosa.settings.dev",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench-live.sqlite3'}",
        # Streams must outlive the run; heartbeats every few seconds as in production.
        "POLOSA_LIVE_STREAM_SECONDS": str(int(args.timeout) + 60),
    }
    os.environ.update(env)
    raise_file_limit(args.readers * 2 + 256)
    django.setup()
    page_id = prepare_blog()

    port = free_port()
    server = start_server(port, env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_for_server(base_url + "/"))
        result = asyncio.run(asyncio.wait_for(measure(args, base_url, page_id), args.timeout + 30))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
