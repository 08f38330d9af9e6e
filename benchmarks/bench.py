"""Throughput and latency of the production server, side by side with nginx serving a static file.

    make bench                       # 100,000 generated articles on SQLite (var/bench/)
    make bench N=20000 BENCH_ARGS="--duration 5"
    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench N=1000000

In one run: generate N synthetic articles (progress bar; only the missing ones), collect static
files, start the production server (granian, production settings) with the page cache off and
measure cold renders with wrk, restart it with the cache on and measure warm pages, measure nginx
serving the same article HTML as a static file and nginx's one-second micro-cache in front of the app
(docs/deploy/nginx-microcache.conf), then publish an article through the ORM and poll every affected
page until it shows (publish-to-visible), and read each server worker's resident memory.

Then the edge (docs/deploy/varnish.vcl, needs varnish and varnish-modules): the app restarted with
ESI and purge by key, Varnish in front of it; the article through Varnish warm (identity and gzip,
each beside nginx serving the same bytes), the article pages read under load while one article is
published every second (Varnish's hit rate from varnishstat, and how long each publish took to show),
and publish-to-visible through the edge; the same again with whole pages (the app composing the
shared pieces, so each page carries their keys) for comparison. Last the peer: Django's own cache middleware
(benchmarks/peer_settings.py) on the same article under the same server. Prints a table (requests/s,
p50, p99, ratio to nginx) and writes JSON (var/bench/result.json).

Every run is bounded: wrk runs --duration seconds per page, servers get --start-timeout to answer,
and the whole run stops measuring after --max-minutes. Needs wrk (apt install wrk); nginx and
Varnish are optional (apt install nginx varnish varnish-modules), without them their comparisons are
reported as absent.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
SEARCH_QUERY = "/search/?q=%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B0"  # "ставка"
RSS_CANDIDATES = ("/rss/", "/feed/", "/rss.xml", "/feeds/rss/", "/news/rss/")
PAGES = ("home", "article", "news", "section", "tag", "search", "rss")

WRK_ROTATE = """
paths = {}
counter = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""
# The same rotation, counting the edge's X-Cache answers (each thread's, summed in done()).
WRK_ROTATE_COUNTING = (
    WRK_ROTATE
    + """
threads = {}
hits, stale, misses, passes, others = 0, 0, 0, 0, 0
setup = function(thread)
  table.insert(threads, thread)
end
response = function(status, headers, body)
  local state = headers["X-Cache"] or headers["x-cache"]
  if state == "HIT" then hits = hits + 1
  elseif state == "HIT-STALE" then stale = stale + 1
  elseif state == "MISS" then misses = misses + 1
  elseif state == "PASS" then passes = passes + 1
  else others = others + 1 end
end
done = function(summary, latency, requests)
  local total = {0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    total[1] = total[1] + thread:get("hits")
    total[2] = total[2] + thread:get("stale")
    total[3] = total[3] + thread:get("misses")
    total[4] = total[4] + thread:get("passes")
    total[5] = total[5] + thread:get("others")
  end
  io.write(string.format("X-Cache: %%d %%d %%d %%d %%d\\n", total[1], total[2], total[3], total[4], total[5]))
end
"""
)
EDGE_STATS = (
    "MAIN.cache_hit",
    "MAIN.cache_hit_grace",
    "MAIN.cache_miss",
    "MAIN.cache_hitmiss",
    "MAIN.cache_hitpass",
    "MAIN.client_req",
    "MAIN.backend_req",
    "MAIN.esi_req",
    "MAIN.n_purges",
    "MAIN.n_obj_purged",
)


# --- Environment ----------------------------------------------------------------------------------


def configure_environment(args) -> dict:
    """The production settings' environment, shared by this process (ORM publish) and the server."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "polosa.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
    }
    if not os.environ.get("REDIS_URL"):
        env["CACHE_KEY_PREFIX"] = "polosa-bench"
    os.environ.update(env)
    return dict(os.environ)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def prepare_data(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import generate
    from polosa.news.models import ArticlePage
    from testsupport import front_page

    call_command("migrate", interactive=False, verbosity=0)
    front_page()
    have = ArticlePage.objects.filter(slug__startswith=generate.PREFIX).count()
    started = time.monotonic()
    if have < args.articles:
        print(f"Generating {args.articles - have} articles (have {have}) ...", flush=True)
        generate.generate(
            args.articles - have, days=args.days, tags_count=args.tags, batch=5000, seed=have + 1
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    generated_seconds = time.monotonic() - started
    print("Collecting static files ...", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)

    published = ArticlePage.objects.published()
    newest = published.filter(slug__startswith=generate.PREFIX).select_related("section").first()
    tag_link = newest.tag_links.select_related("tag").first()
    ids = list(published.values_list("pk", flat=True)[: args.articles])
    rng = random.Random(7)
    sample_ids = rng.sample(ids, min(len(ids), 2000))
    sample_paths = [
        a.url for a in ArticlePage.objects.filter(pk__in=sample_ids).only("url_path", "path", "depth")
    ]
    return {
        "articles": ArticlePage.objects.count(),
        "generated_seconds": round(generated_seconds, 1),
        "urls": {
            "home": "/",
            "article": newest.url,
            "news": "/news/",
            "section": newest.section.url,
            "tag": tag_link.tag.get_absolute_url(),
            "search": SEARCH_QUERY,
            "rss": RSS_CANDIDATES[0],
        },
        "sample_paths": [p for p in sample_paths if p],
        "newest_id": newest.pk,
        "tag_id": tag_link.tag_id,
        "section_id": newest.section_id,
    }


# --- Servers ----------------------------------------------------------------------------------------


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_up(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if get(port, "/", timeout=10)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server on port {port} did not answer within {timeout:.0f} s")


def start_app(args, env: dict, *, page_cache: bool, extra: dict | None = None) -> subprocess.Popen:
    from polosa.core.management.commands.serve import granian_command

    command = granian_command("127.0.0.1", args.port, args.workers, args.interface, 0, 4)
    server_env = {**env, "POLOSA_PAGE_CACHE_ENABLED": "true" if page_cache else "false", **(extra or {})}
    log = open(BENCH_DIR / "server.log", "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, env=server_env, stdout=log, stderr=log, start_new_session=True)
    wait_until_up(args.port, args.start_timeout)
    return process


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def worker_memory_mb(process: subprocess.Popen) -> list[float]:
    """Resident memory of each server worker (children of granian's main process)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
        if ppid and rss and int(ppid.group(1)) == process.pid:
            found.append(round(int(rss.group(1)) / 1024, 1))
    return sorted(found)


def start_nginx(args, html: bytes) -> subprocess.Popen | None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        print("nginx is not installed (apt install nginx): the static comparison is skipped", flush=True)
        return None
    from django.conf import settings

    prefix = BENCH_DIR / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    (prefix / "html").mkdir(parents=True, exist_ok=True)
    (prefix / "html" / "article.html").write_bytes(html)
    # The same bytes compressed, for readers that send Accept-Encoding: gzip (gzip_static).
    (prefix / "html" / "article.html.gz").write_bytes(gzip.compress(html, 6))
    template = string.Template((BASE_DIR / "docs" / "deploy" / "nginx-microcache.conf").read_text())
    site = template.safe_substitute(
        listen=f"127.0.0.1:{args.port + 2}",
        app=f"127.0.0.1:{args.port}",
        cache_dir=str(prefix / "cache"),
        static_root=str(settings.STATIC_ROOT),
    )
    conf = f"""
worker_processes {args.workers};
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/html;
    client_body_temp_path {prefix}/temp-body;
    proxy_temp_path {prefix}/temp-proxy;
    fastcgi_temp_path {prefix}/temp-fastcgi;
    uwsgi_temp_path {prefix}/temp-uwsgi;
    scgi_temp_path {prefix}/temp-scgi;
    server {{
        listen 127.0.0.1:{args.port + 1};
        root {prefix}/html;
        gzip_static on;
        location / {{ try_files $uri =404; }}
    }}
{site}
}}
"""
    if os.geteuid() == 0:
        conf = "user root;\n" + conf
    (prefix / "nginx.conf").write_text(conf)
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(prefix / "logs" / "stderr.log", "ab"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if get(args.port + 1, "/article.html", timeout=2)[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    print("nginx did not start; see var/bench/nginx/logs/", flush=True)
    return None


# --- wrk ----------------------------------------------------------------------------------------------


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(
    args,
    port: int,
    path: str,
    paths_file: Path | None = None,
    *,
    encoding: str = "identity",
    count_cache: bool = False,
) -> dict:
    command = [
        "wrk",
        f"-t{min(args.connections, 2)}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        "Host: 127.0.0.1",
        "-H",
        f"Accept-Encoding: {encoding}",
    ]
    if paths_file is not None:
        script = BENCH_DIR / ("rotate-counting.lua" if count_cache else "rotate.lua")
        script.write_text((WRK_ROTATE_COUNTING if count_cache else WRK_ROTATE).replace("%%", "%"))
        command += ["-s", str(script), f"http://127.0.0.1:{port}/", str(paths_file)]
    else:
        command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + 30, check=False
    ).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    """Requests/s, p50 and p99 (ms) and failed requests from `wrk --latency` output."""
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "errors": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = round(float(match.group(1)), 1)
    if match := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        result["p50_ms"] = round(to_ms(match.group(1)), 2)
    if match := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        result["p99_ms"] = round(to_ms(match.group(1)), 2)
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["errors"] += int(match.group(1))
    if match := re.search(r"Socket errors:.*timeout (\d+)", output):
        result["errors"] += int(match.group(1))
    if match := re.search(r"^X-Cache: (\d+) (\d+) (\d+) (\d+) (\d+)$", output, re.M):
        result["x_cache"] = dict(
            zip(("hit", "stale", "miss", "pass", "other"), map(int, match.groups()), strict=True)
        )
    return result


# --- Publish-to-visible ---------------------------------------------------------------------------


def draft_article(data: dict, title: str, slug: str):
    """A new unpublished article in the benchmark's section, with its tag."""
    from polosa.news.models import ArticlePage, ArticleTag, SectionPage

    section = SectionPage.objects.get(pk=data["section_id"])
    article = ArticlePage(
        title=title,
        slug=slug,
        live=False,
        lead="Короткий лид проверочной публикации.",
        body=[("paragraph", "<p>Текст проверочной публикации.</p>")],
    )
    section.add_child(instance=article)
    ArticleTag.objects.create(article=article, tag_id=data["tag_id"], sort_order=0)
    return ArticlePage.objects.get(pk=article.pk)


def poll_until(port: int, path: str, needle: bytes, started: float, timeout: float) -> float | None:
    """Milliseconds from `started` until `path` shows `needle`; one reader asking again as soon as it
    has an answer, as readers during a spike do."""
    while time.monotonic() - started < timeout:
        try:
            status, body = get(port, path)
        except OSError:
            status, body = 0, b""
        if status == 200 and needle in body:
            return round((time.monotonic() - started) * 1000, 1)
        time.sleep(0.005)
    return None


def publish_to_visible(
    args, data: dict, ports: dict[str, int], timeout: float = 10, present=None, feed_path=None
) -> dict:
    """Publish a new article through the ORM and time until each affected page shows it: the front
    page, /news/, its section and tag, the feed column beside another article (or at `feed_path`,
    where a browser fetches it), RSS and the article."""
    from polosa.news.models import ArticlePage

    stamp = int(time.time() * 1000)
    title = f"Проверка публикации номер {stamp}"
    article = draft_article(data, title, f"b-bench-{stamp}")
    # Warm the pages first: the point is how fast a cached page changes.
    pages = {
        "home": "/",
        "news": "/news/",
        "section": data["urls"]["section"],
        "tag": data["urls"]["tag"],
        "article_feed": data["urls"]["article"],
        "rss": data["urls"]["rss"],
    }
    pages = {name: path for name, path in pages.items() if present is None or present.get(name, True)}
    if present is not None and not present.get("article", True):
        pages.pop("article_feed", None)
    if feed_path is not None:
        pages["article_feed"] = feed_path
    for port in ports.values():
        for path in pages.values():
            get(port, path)
            get(port, path)
    started = time.monotonic()
    article.save_revision().publish()
    published = time.monotonic()
    pages["article"] = ArticlePage.objects.get(pk=article.pk).url
    needle = title.encode()
    targets = {
        f"{server}:{name}": (port, path) for server, port in ports.items() for name, path in pages.items()
    }
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        futures = {
            label: pool.submit(poll_until, port, path, needle, started, timeout)
            for label, (port, path) in targets.items()
        }
        results = {label: future.result() for label, future in futures.items()}
    results["publish_call_ms"] = round((published - started) * 1000, 1)
    ArticlePage.objects.get(pk=article.pk).delete()
    return results


# --- The edge ---------------------------------------------------------------------------------------


# The edge as production runs it (ESI); with whole pages for comparison (every page then carries its
# fragments' keys, so a publish that changes the feed purges every page beside it); and with
# client-side includes (whole pages at the edge, the feed fetched by the reader's browser).
EDGE_VARIANTS = {"edge": "esi", "edge_whole": "off", "edge_client": "client"}
# With client-side includes the reader's browser fetches the feed from its own address after the page.
FEED_PIECE = "/_esi/feed-column/"


def edge_env(edge_port: int, includes: str = "esi") -> dict:
    """The app behind Varnish as in production (`make edge`): ESI, purge by key, long s-maxage."""
    return {
        "POLOSA_EDGE_INCLUDES": includes,
        "CDN_PURGE_BACKEND": "varnish",
        "CDN_PURGE_LOCATION": f"http://127.0.0.1:{edge_port}",
        "POLOSA_TRUSTED_PROXIES": "1",
    }


def start_edge(args):
    """Varnish on --port + 3 in front of the app, or None (reported absent) without it."""
    from django.conf import settings

    from polosa.caching import varnish

    if varnish.varnishd_path() is None:
        print(
            "Varnish is not installed (apt install varnish varnish-modules): the edge is skipped", flush=True
        )
        return None
    config = varnish.EdgeConfig(
        backend_port=args.port,
        probe_host="127.0.0.1",
        grace_healthy=settings.POLOSA_STALE_WHILE_REVALIDATE,
        grace_fallback=settings.POLOSA_STALE_IF_ERROR,
    )
    edge = varnish.Edge(config, port=args.port + 3, workdir=BENCH_DIR / "varnish")
    try:
        return edge.start()
    except varnish.VarnishError as error:
        print(f"Varnish did not start: {error}", flush=True)
        return None


class edge_purges:
    """This process publishes; while the edge runs, its purges go to that Varnish (settings are read
    once at start, so the purge backend is set here rather than in the environment)."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        from django.conf import settings

        self.previous = getattr(settings, "POLOSA_KEY_PURGE", {})
        settings.POLOSA_KEY_PURGE = {"BACKEND": "polosa.caching.edge.VarnishPurger", "LOCATIONS": [self.url]}

    def __exit__(self, *exc):
        from django.conf import settings

        settings.POLOSA_KEY_PURGE = self.previous


def warm_through(port: int, paths: list[str], seconds: float) -> int:
    """Read each path once (eight readers), for at most `seconds`; how many were read."""
    deadline = time.monotonic() + seconds

    def read(path: str) -> bool:
        if time.monotonic() > deadline:
            return False
        try:
            return get(port, path)[0] == 200
        except OSError:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(pool.map(read, paths))


def edge_under_publishing(args, data: dict, edge, paths_file: Path, watch: dict[str, str]) -> dict:
    """wrk over the article sample through the edge while one article is published every second.

    Varnish's own counters give the hit rate of everything it looked up (article shells and their
    ESI fragments); wrk counts the X-Cache of the pages readers got. Each publish is timed until it
    shows on the `watch` pages (the feed column beside an article, /news/) through the edge."""
    from django.db import connection

    from polosa.news.models import ArticlePage

    paths = [p for p in paths_file.read_text().splitlines() if p]
    warmed = warm_through(edge.port, paths, seconds=min(120, args.max_minutes * 6))
    before = edge.stats(EDGE_STATS)
    stop_flag = threading.Event()
    publishes: list[dict] = []
    made: list[int] = []

    def publisher():
        try:
            number = 0
            while not stop_flag.is_set():
                tick = time.monotonic()
                number += 1
                stamp = f"{int(time.time() * 1000)}-{number}"
                title = f"Публикация под нагрузкой {stamp}"
                article = draft_article(data, title, f"b-load-{stamp}")
                made.append(article.pk)
                started = time.monotonic()
                article.save_revision().publish()
                seen = {"publish_call_ms": round((time.monotonic() - started) * 1000, 1)}
                for name, path in watch.items():
                    seen[name] = poll_until(edge.port, path, title.encode(), started, timeout=5)
                publishes.append(seen)
                stop_flag.wait(max(0.0, 1.0 - (time.monotonic() - tick)))
        finally:
            connection.close()

    thread = threading.Thread(target=publisher, daemon=True)
    thread.start()
    try:
        load = wrk(args, edge.port, "", paths_file, count_cache=True)
    finally:
        stop_flag.set()
        thread.join(timeout=30)
    after = edge.stats(EDGE_STATS)
    delta = {name.removeprefix("MAIN."): after.get(name, 0) - before.get(name, 0) for name in EDGE_STATS}
    looked_up = delta["cache_hit"] + delta["cache_miss"]
    for pk in made:
        ArticlePage.objects.filter(pk=pk).delete()
    staleness = {}
    for name in watch:
        times = sorted(p[name] for p in publishes if p.get(name) is not None)
        staleness[name] = {
            "publishes": len(publishes),
            "shown": len(times),
            "median_ms": times[len(times) // 2] if times else None,
            "max_ms": times[-1] if times else None,
        }
    pages = load.get("x_cache") or {}
    page_total = sum(pages.values())
    return {
        "warm": load,
        "warmed_paths": warmed,
        "edge_counters": delta,
        "edge_hit_rate": round(delta["cache_hit"] / looked_up, 4) if looked_up else None,
        "page_hit_rate": round((pages.get("hit", 0) + pages.get("stale", 0)) / page_total, 4)
        if page_total
        else None,
        "staleness_ms": staleness,
        "publish_call_ms": sorted(p["publish_call_ms"] for p in publishes),
    }


# --- The run ----------------------------------------------------------------------------------------


def server_arguments(description: str, port: int, port_help: str = "app port") -> argparse.ArgumentParser:
    """The data, server and wrk options this benchmark and `benchmarks.cold_article` share."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--tags", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interface", choices=("asginl", "wsgi"), default="asginl")
    parser.add_argument("--port", type=int, default=port, help=port_help)
    parser.add_argument("--start-timeout", type=float, default=90)
    return parser


def main(argv=None) -> int:
    parser = server_arguments(__doc__, 8091, "app port; nginx uses the next two")
    parser.add_argument("--max-minutes", type=float, default=20, help="stop measuring after this long")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "result.json")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is not installed: apt install wrk", file=sys.stderr)
        return 2

    env = configure_environment(args)
    run_started = time.monotonic()
    result = {
        "articles_requested": args.articles,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "cache": "redis" if env.get("REDIS_URL") else "file",
        "server": f"granian {args.interface}, {args.workers} workers",
        "wrk": f"{args.connections} connections, {args.duration} s",
        "cpus": os.cpu_count(),
        "load_before": load_average(),
    }
    data = prepare_data(args)
    result.update(articles=data["articles"], generated_seconds=data["generated_seconds"], urls=data["urls"])
    paths_file = BENCH_DIR / "article-paths.txt"
    paths_file.write_text("\n".join(data["sample_paths"]) + "\n")

    def out_of_time() -> bool:
        return time.monotonic() - run_started > args.max_minutes * 60

    measurements: dict[str, dict] = {}
    app = nginx = None
    try:
        # Cold: page cache off (shared fragments such as the feed column stay cached, as in production).
        app = start_app(args, env, page_cache=False)
        present = {}
        for page in PAGES:
            path = data["urls"][page]
            if page == "rss":
                for candidate in RSS_CANDIDATES:
                    if get(args.port, candidate)[0] == 200:
                        data["urls"]["rss"] = path = candidate
                        break
            status = get(args.port, path)[0]
            present[page] = status == 200
            if not present[page]:
                measurements[page] = {"absent": f"HTTP {status}"}
        result["urls"] = data["urls"]
        for page in PAGES:
            if present[page] and not out_of_time():
                print(f"cold {page} ...", flush=True)
                rotate = paths_file if page == "article" else None
                measurements.setdefault(page, {})["cold"] = wrk(args, args.port, data["urls"][page], rotate)
        stop(app)

        app = start_app(args, env, page_cache=True)
        for page in PAGES:
            if present[page] and not out_of_time():
                get(args.port, data["urls"][page])
                get(args.port, data["urls"][page])
                print(f"warm {page} ...", flush=True)
                measurements[page]["warm"] = wrk(args, args.port, data["urls"][page])
        status, html = get(args.port, data["urls"]["article"])
        result["article_bytes"] = len(html)
        nginx = start_nginx(args, html)
        if nginx is not None and not out_of_time():
            print("nginx static article ...", flush=True)
            measurements["nginx_static"] = {"warm": wrk(args, args.port + 1, "/article.html")}
            print("nginx micro-cache article ...", flush=True)
            get(args.port + 2, data["urls"]["article"])
            measurements["nginx_microcache_article"] = {
                "warm": wrk(args, args.port + 2, data["urls"]["article"])
            }
        if nginx is not None and not out_of_time():
            print("nginx static article, gzip ...", flush=True)
            measurements["nginx_static_gzip"] = {
                "warm": wrk(args, args.port + 1, "/article.html", encoding="gzip"),
                "baseline": "nginx_static_gzip",
            }
        ports = {"app": args.port}
        if nginx is not None:
            ports["nginx"] = args.port + 2
        print("publish-to-visible ...", flush=True)
        result["publish_to_visible_ms"] = publish_to_visible(args, data, ports, present=present)
        result["worker_rss_mb"] = worker_memory_mb(app)
        stop(nginx)
        stop(app)

        for label in EDGE_VARIANTS:
            if not out_of_time():
                measure_edge(args, env, data, present, paths_file, measurements, result, out_of_time, label)
        if present["article"] and not out_of_time():
            measure_peer(args, env, data, present, measurements, result)
    finally:
        stop(nginx)
        stop(app)
    result["measurements"] = measurements
    result["load_after"] = load_average()
    result["seconds"] = round(time.monotonic() - run_started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print_table(result)
    print(f"\nJSON: {args.json}")
    return 0


def processes() -> dict[int, tuple[str, int, float]]:
    """Every process: (command name, parent pid, CPU seconds of all its threads, user + system)."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            comm = (proc / "comm").read_text().strip()
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        found[int(proc.name)] = (comm, int(fields[1]), cpu)
    return found


def process_cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and all its descendants (varnishd's manager and the child that serves;
    granian's workers, which it spawns from a thread of its own)."""
    table = processes()
    family, grew = {pid}, True
    while grew:
        grew = False
        for child, (_comm, parent, _cpu) in table.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    return sum(table[p][2] for p in family if p in table)


def wrk_with_cpu(args, edge, path: str, **options) -> dict:
    """wrk through the edge, and Varnish's own CPU per request: a figure the other processes on a
    shared machine disturb far less than requests per second."""
    before = process_cpu_seconds(edge.process.pid)
    row = wrk(args, edge.port, path, **options)
    spent = process_cpu_seconds(edge.process.pid) - before
    if row["rps"]:
        row["varnish_cpu_us_per_request"] = round(spent / (row["rps"] * args.duration) * 1e6, 1)
    return row


def measure_edge(
    args, env, data, present, paths_file, measurements, result, out_of_time, label="edge"
) -> None:
    """The app behind Varnish: the warm article, the article pages under one publish a second, and
    publish-to-visible through the edge. `label` picks the variant (EDGE_VARIANTS)."""
    edge_port = args.port + 3
    app = start_app(args, env, page_cache=True, extra=edge_env(edge_port, EDGE_VARIANTS[label]))
    edge = None
    try:
        edge = start_edge(args)
        if edge is None:
            measurements[f"{label}_article"] = {"absent": "Varnish not installed or not started"}
            return
        article = data["urls"]["article"]
        with edge_purges(edge.url):
            get(edge.port, article)
            status, through = get(edge.port, article)
            # The app itself (no Surrogate-Capability: composed) at the same moment.
            same = status == 200 and through == get(args.port, article)[1]
            result[f"{label}_article_same_bytes_as_app"] = same
            print(f"{label} article ...", flush=True)
            measurements[f"{label}_article"] = {"warm": wrk_with_cpu(args, edge, article)}
            print(f"{label} article, gzip ...", flush=True)
            measurements[f"{label}_article_gzip"] = {
                "warm": wrk_with_cpu(args, edge, article, encoding="gzip"),
                "baseline": "nginx_static_gzip",
            }
            client = EDGE_VARIANTS[label] == "client"
            if client:
                print(f"{label} news feed piece, gzip ...", flush=True)
                measurements[f"{label}_feed_piece_gzip"] = {
                    "warm": wrk_with_cpu(args, edge, FEED_PIECE, encoding="gzip"),
                    "baseline": "nginx_static_gzip",
                }
            if not out_of_time():
                print(f"{label} under one publish a second ...", flush=True)
                watch = {"article_feed": FEED_PIECE if client else article, "news": "/news/"}
                readers = paths_file
                if client:
                    # Each reader's page view is the page, then the feed from its own address.
                    readers = paths_file.with_name("article-paths-client.txt")
                    lines = [p for p in paths_file.read_text().splitlines() if p]
                    readers.write_text("".join(f"{p}\n{FEED_PIECE}\n" for p in lines))
                measurements[f"{label}_articles_publishing"] = edge_under_publishing(
                    args, data, edge, readers, watch
                )
            print(f"publish-to-visible through {label} ...", flush=True)
            result[f"{label}_publish_to_visible_ms"] = publish_to_visible(
                args, data, {label: edge.port}, present=present, feed_path=FEED_PIECE if client else None
            )
    finally:
        if edge is not None:
            edge.stop()
        stop(app)


def measure_peer(args, env, data, present, measurements, result) -> None:
    """Django's own cache middleware (benchmarks/peer_settings.py) on the same article."""
    app = start_app(args, env, page_cache=False, extra={"DJANGO_SETTINGS_MODULE": "benchmarks.peer_settings"})
    try:
        article = data["urls"]["article"]
        get(args.port, article)
        get(args.port, article)
        print("Django cache middleware article ...", flush=True)
        measurements["django_cache_middleware_article"] = {"warm": wrk(args, args.port, article)}
        print("publish-to-visible with Django's cache middleware ...", flush=True)
        result["django_cache_middleware_publish_to_visible_ms"] = publish_to_visible(
            args, data, {"django_cache": args.port}, timeout=5, present=present
        )
    finally:
        stop(app)


def print_table(result: dict) -> None:
    measurements = result["measurements"]
    print(
        f"\n{result['articles']} articles, {result['database']} + {result['cache']} cache, "
        f"{result['server']}, wrk {result['wrk']}, load {result['load_before']} -> {result['load_after']}"
    )
    print(f"{'page':<34}{'phase':<6}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'vs nginx':>10}{'errors':>8}")
    for page, phases in measurements.items():
        if "absent" in phases:
            print(f"{page:<34}absent ({phases['absent']})")
            continue
        # Each row beside nginx serving the same bytes the same way (identity, or gzip).
        baseline = phases.get("baseline", "nginx_static")
        static = measurements.get(baseline, {}).get("warm", {}).get("rps")
        for phase in ("cold", "warm"):
            row = phases.get(phase)
            if not row:
                continue
            ratio = f"{row['rps'] / static:.3f}" if static and row["rps"] else "-"
            print(
                f"{page:<34}{phase:<6}{row['rps'] or '-':>10}{row['p50_ms'] or '-':>10}"
                f"{row['p99_ms'] or '-':>10}{ratio:>10}{row['errors']:>8}"
            )
    print(f"publish-to-visible (ms): {result.get('publish_to_visible_ms')}")
    print(f"worker RSS (MB): {result.get('worker_rss_mb')}")
    for label in EDGE_VARIANTS:
        cpu = [
            f"{name}: {measurements[name]['warm'].get('varnish_cpu_us_per_request')} us"
            for name in (f"{label}_article", f"{label}_article_gzip", f"{label}_feed_piece_gzip")
            if "warm" in measurements.get(name, {})
        ]
        if cpu:
            print(f"Varnish CPU per request ({label}): {', '.join(cpu)}")
        if f"{label}_publish_to_visible_ms" in result:
            print(f"publish-to-visible through {label} (ms): {result[f'{label}_publish_to_visible_ms']}")
            print(f"{label} article = the app's bytes: {result.get(f'{label}_article_same_bytes_as_app')}")
        load = measurements.get(f"{label}_articles_publishing")
        if load and "absent" not in load:
            print(
                f"{label} under one publish a second ({load['warmed_paths']} article pages warmed): "
                f"hit rate {load['edge_hit_rate']} of lookups (pages and fragments), "
                f"{load['page_hit_rate']} of pages read; counters {load['edge_counters']}"
            )
            for name, row in load["staleness_ms"].items():
                print(
                    f"  a publish shown on {name}: {row['shown']} of {row['publishes']}, "
                    f"median {row['median_ms']} ms, max {row['max_ms']} ms"
                )
    if "django_cache_middleware_publish_to_visible_ms" in result:
        print(
            "publish-to-visible with Django's cache middleware (ms, None: not within 5 s): "
            f"{result['django_cache_middleware_publish_to_visible_ms']}"
        )


if __name__ == "__main__":
    sys.exit(main())
