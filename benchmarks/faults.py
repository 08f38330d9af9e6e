"""Faults under load: what readers and editors see when Redis, PostgreSQL, the worker or an app worker
fails, and a soak at 80% of capacity.

    make faults                      # the fault phases, then a 10-minute soak
    make faults SOAK=1               # a one-minute soak
    python -m benchmarks.faults --phases redis,worker --soak-minutes 0

Everything runs on 127.0.0.1 and is thrown away afterwards: its own Redis (``redis-server`` on a free
port, no persistence) and its own PostgreSQL cluster (``initdb`` into var/faults/pg, trust auth, run as
the ``postgres`` user when started as root), migrated and filled with a few hundred generated
articles (benchmarks.generate, as ``make bench`` does), then the production server (granian with
production settings, as bench.py starts it) and the worker (``manage.py run_worker``).

Each phase runs wrk on a mix of pages (home, /news/, a section, a tag, articles, search, RSS) while
a checker polls every page of the mix with http.client and an editor publishes an article through the
ORM every few seconds (in a helper process with the same production settings), and injects one fault:

    redis   kill -9 Redis, start it again ~10 s later (an empty cache: it keeps nothing on disk)
    pg      stop PostgreSQL (fast shutdown), start it again ~10 s later
    worker  kill -9 the worker while scheduled publications (Wagtail go_live_at) fall due, restart it
    app     kill -9 one app worker process while it serves requests (granian respawns it)

After recovery it checks: readers got no 5xx on pages that had a cached copy before the fault; no
publish was lost (each one that reported success is live in the database and on /news/); every
scheduled item went live (late: more than --late-seconds after the fault ended); no stale page
survives (each page that shows new headlines shows the latest published one within --stale-seconds).
Then a soak at ~80% of the capacity measured with a short wrk run, on the page mix with some
cache-busting misses (``?x=<random>``), reporting errors, p99 and each app worker's resident memory
growth. Prints a table and writes JSON (var/faults/result.json).

It reports what it finds; it does not make the app survive anything. Every loop is bounded in count and
time, the run stops after --max-minutes, and every process it started is stopped (process groups) and
the PostgreSQL cluster deleted on the way out, also on Ctrl-C and on errors.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import bench

BASE_DIR = bench.BASE_DIR
FAULTS_DIR = BASE_DIR / "var" / "faults"
PHASES = ("redis", "pg", "worker", "app")
TITLE_PREFIX = "Проверка отказа"

# wrk: rotate through the paths in args[1], add ?x=<random> to a share args[2] of the requests (misses
# the page cache cannot answer), wait args[3] ms between one connection's requests (pacing), and count
# responses by status class; done() prints them on one line that parse_wrk_faults reads.
WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do if #line > 0 then paths[#paths + 1] = line end end
  bust = tonumber(args[2] or "0")
  pause = tonumber(args[3] or "0")
  if pause > 0 then delay = function() return pause end end
  counter = seed * 7
  s2, s3, s4, s5 = 0, 0, 0, 0
  math.randomseed(os.time() * 1000 + seed)
end
function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if bust > 0 and math.random() < bust then
    local sep = "?"
    if string.find(path, "?", 1, true) then sep = "&" end
    path = path .. sep .. "x=" .. math.random(1, 1000000000)
  end
  return wrk.format("GET", path)
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local t = {0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    t[1] = t[1] + thread:get("s2")
    t[2] = t[2] + thread:get("s3")
    t[3] = t[3] + thread:get("s4")
    t[4] = t[4] + thread:get("s5")
  end
  io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\\n", t[1], t[2], t[3], t[4]))
end
"""


# --- Pure helpers (benchmarks/test_faults.py) -------------------------------------------------------


def parse_wrk_faults(output: str) -> dict:
    """bench.parse_wrk's figures plus the request count, socket errors and responses by status class."""
    result = bench.parse_wrk(output)
    result["requests"] = None
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    sockets = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        sockets = dict(zip(sockets, map(int, match.groups()), strict=True))
    result["socket_errors"] = sum(sockets.values())
    result["statuses"] = {}
    if match := re.search(r"STATUS 2xx=(\d+) 3xx=(\d+) 4xx=(\d+) 5xx=(\d+)", output):
        result["statuses"] = dict(zip(("2xx", "3xx", "4xx", "5xx"), map(int, match.groups()), strict=True))
    return result


def parse_proc_status(text: str) -> dict:
    """PPid, state letter and resident memory (kB) from a /proc/<pid>/status text."""
    found = {"ppid": None, "state": None, "rss_kb": None}
    if match := re.search(r"^State:\s+(\S)", text, re.M):
        found["state"] = match.group(1)
    if match := re.search(r"^PPid:\s+(\d+)", text, re.M):
        found["ppid"] = int(match.group(1))
    if match := re.search(r"^VmRSS:\s+(\d+) kB", text, re.M):
        found["rss_kb"] = int(match.group(1))
    return found


def parse_redis_info(text: str) -> dict[str, str]:
    """``key:value`` lines of a Redis INFO reply."""
    found = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and not key.startswith("#"):
            found[key.strip()] = value.strip()
    return found


LOG_LINE = re.compile(r"^\S+ [\d:,]+ (ERROR|WARNING|CRITICAL) (\S+): (.*)$")


def summarize_log(text: str, top: int = 8) -> list[list]:
    """The most frequent ERROR/WARNING messages of a log excerpt, numbers masked: [[count, message]]."""
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if match := LOG_LINE.match(line):
            level, logger, message = match.groups()
            key = f"{level} {logger}: " + re.sub(r"\d+(?:[.:]\d+)*", "N", message)[:140]
            counts[key] = counts.get(key, 0) + 1
    return [[n, key] for key, n in sorted(counts.items(), key=lambda item: -item[1])[:top]]


def p99(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1)


def pacing_delay_ms(connections: int, target_rps: float, achieved_rps: float, current_ms: float) -> float:
    """The per-connection pause that moves a paced wrk run from `achieved_rps` to `target_rps`: each
    connection's cycle (latency + pause) must grow by connections/target - connections/achieved."""
    if target_rps <= 0 or achieved_rps <= 0:
        return current_ms
    change = connections * 1000 * (1 / target_rps - 1 / achieved_rps)
    return round(max(0.0, current_ms + change), 1)


def summarize_checks(checks: list[tuple[float, str, int, float]], cached: set[str]) -> dict:
    """The checker's requests (time, path, status or 0 for a connection error, ms): how many, 5xx,
    5xx on pages that had a cached copy before the fault, connection errors, p99."""
    return {
        "requests": len(checks),
        "5xx": sum(1 for _, _, status, _ in checks if status >= 500),
        "5xx_cached": sum(1 for _, path, status, _ in checks if status >= 500 and path in cached),
        "conn_errors": sum(1 for _, _, status, _ in checks if status == 0),
        "conn_errors_cached": sum(1 for _, path, status, _ in checks if status == 0 and path in cached),
        "p99_ms": p99([ms for _, _, status, ms in checks if status]),
    }


COLUMNS = (
    ("phase", 8),
    ("requests", 10),
    ("5xx", 7),
    ("5xx cached", 12),
    ("conn err", 10),
    ("lost pub", 10),
    ("sched late/miss", 17),
    ("stale", 7),
    ("p99 ms", 9),
)


def table_rows(result: dict) -> list[list[str]]:
    """One row per phase (and the soak) in COLUMNS order."""
    rows = []
    for phase in result.get("phases", []):
        if "skipped" in phase:
            rows.append([phase["name"], f"skipped: {phase['skipped']}"] + [""] * (len(COLUMNS) - 2))
            continue
        load, check = phase.get("wrk", {}), phase.get("checker", {})
        statuses = load.get("statuses") or {}
        requests = (load.get("requests") or 0) + check.get("requests", 0)
        sched = phase.get("scheduled", {})
        rows.append(
            [
                phase["name"],
                str(requests),
                str(statuses.get("5xx", 0) + check.get("5xx", 0)),
                str(check.get("5xx_cached", 0)),
                str(load.get("socket_errors", 0) + check.get("conn_errors", 0)),
                f"{phase.get('lost_publishes', 0)}/{phase.get('publishes_ok', 0)}",
                f"{sched.get('late', 0)}/{sched.get('missing', 0)} of {sched.get('count', 0)}",
                f"{len(phase.get('stale_pages', []))}/{phase.get('headline_pages', 0)}",
                str(load.get("p99_ms") if load.get("p99_ms") is not None else "-"),
            ]
        )
    soak = result.get("soak")
    if soak and "skipped" not in soak:
        load = soak.get("wrk", {})
        statuses = load.get("statuses") or {}
        rows.append(
            [
                "soak",
                str(load.get("requests") or 0),
                str(statuses.get("5xx", 0)),
                "-",
                str(load.get("socket_errors", 0)),
                "-",
                "-",
                "-",
                str(load.get("p99_ms") if load.get("p99_ms") is not None else "-"),
            ]
        )
    return rows


def format_table(result: dict) -> str:
    lines = [
        "".join(f"{name:>{width}}" if i else f"{name:<{width}}" for i, (name, width) in enumerate(COLUMNS))
    ]
    for row in table_rows(result):
        if row[1].startswith("skipped"):
            lines.append(f"{row[0]:<{COLUMNS[0][1]}}  {row[1]}")
            continue
        lines.append(
            "".join(
                f"{cell:>{width}}" if i else f"{cell:<{width}}"
                for i, (cell, (_, width)) in enumerate(zip(row, COLUMNS, strict=True))
            )
        )
    soak = result.get("soak")
    if soak and "skipped" not in soak:
        rps, capacity = soak.get("wrk", {}).get("rps"), soak.get("capacity_rps")
        share = f" = {rps / capacity:.0%} of capacity {capacity}" if rps and capacity else ""
        lines.append(
            f"soak: {soak.get('minutes')} min at {rps} req/s{share} (target {soak.get('target_rps')}), "
            f"{round(soak.get('miss_ratio', 0) * 100)}% cache-busting misses"
        )
        for pid, mem in (soak.get("worker_rss_mb") or {}).items():
            lines.append(f"  app worker {pid}: {mem['start']} -> {mem['end']} MB ({mem['growth']:+.1f})")
    elif soak:
        lines.append(f"soak: skipped ({soak['skipped']})")
    return "\n".join(lines)


# --- Processes --------------------------------------------------------------------------------------


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int, taken: set[int] = frozenset()) -> int:
    for port in range(preferred, preferred + 50):
        if port not in taken and port_is_free(port):
            return port
    raise RuntimeError(f"no free port in {preferred}..{preferred + 49}")


def wait_for(check, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(step)
    return False


def children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (granian's workers), without multiprocessing helpers or
    zombies (a killed worker stays listed until its parent reaps it)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            info = parse_proc_status(status.read_text())
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if info["ppid"] == pid and info["state"] not in ("Z", "X") and b"resource_tracker" not in cmdline:
            found.append(int(status.parent.name))
    return sorted(found)


def rss_mb(pid: int) -> float | None:
    try:
        info = parse_proc_status(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return None if info["rss_kb"] is None else round(info["rss_kb"] / 1024, 1)


LOGS = ("server.log", "worker.log", "agent.log")


def log_size(name: str) -> int:
    try:
        return (FAULTS_DIR / name).stat().st_size
    except OSError:
        return 0


def log_since(name: str, offset: int, limit: int = 20_000_000) -> str:
    """What a log gained since `offset` (at most `limit` bytes)."""
    try:
        with open(FAULTS_DIR / name, "rb") as f:
            f.seek(offset)
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def log_file(name: str):
    return open(FAULTS_DIR / name, "ab")  # the child process keeps it open


class Redis:
    """A throwaway redis-server that keeps nothing on disk."""

    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        (FAULTS_DIR / "redis").mkdir(parents=True, exist_ok=True)
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(FAULTS_DIR / "redis"),
        ]
        log = log_file("redis.log")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        if not wait_for(self.ping, 15):
            raise RuntimeError(f"redis-server on port {self.port} did not start (var/faults/redis.log)")

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    def info(self) -> dict[str, str]:
        """Clients connected and refused (maxclients), from INFO; {} when Redis does not answer."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall(b"INFO clients\r\nINFO stats\r\nQUIT\r\n")
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
        except OSError:
            return {}
        info = parse_redis_info(data.decode("utf-8", "replace"))
        return {k: info[k] for k in ("connected_clients", "rejected_connections", "maxclients") if k in info}

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        bench.stop(self.process)


class Postgres:
    """A throwaway PostgreSQL cluster in var/faults/pg, run as the postgres user when we are root."""

    def __init__(self, port: int):
        self.port = port
        self.data = FAULTS_DIR / "pg"
        self.run_dir = FAULTS_DIR / "pg-run"  # socket and log, writable by the server's user
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise RuntimeError("PostgreSQL server binaries not found (apt install postgresql)")
        self.bin = bins[-1].parent
        self.as_postgres = os.geteuid() == 0
        self.started = False

    def _run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, check=False, cwd="/"
        )

    def init(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.data.mkdir(parents=True)
        self.run_dir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.run_dir, "postgres", "postgres")
        done = self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()[-500:]}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.run_dir} "
            "-c max_connections=100 -c fsync=off -c full_page_writes=off"
        )
        done = self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.run_dir / "server.log"),
            "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()[-500:]}")
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        if not self.started:
            return
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop", timeout=40
        )
        self.started = False

    def is_ready(self) -> bool:
        done = self._run(str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), timeout=10)
        return done.returncode == 0

    def destroy(self) -> None:
        """Stop whatever still runs (immediate shutdown, then kill -9 the postmaster) and delete it."""
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "-t", "20", "stop"
            )
            try:
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
            except (OSError, ValueError, IndexError):
                pass
        self.started = False
        shutil.rmtree(self.data, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class Agent:
    """The editor: a helper process with the production settings that publishes and checks articles
    through the ORM, one JSON command per line. Restarted when it stops answering."""

    def __init__(self, env: dict, section_id: int):
        self.env, self.section_id = env, section_id
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.restarts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.faults", "--agent", str(self.section_id)],
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file("agent.log"),
            text=True,
            start_new_session=True,
        )
        self.replies = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.replies), daemon=True).start()

    @staticmethod
    def _read(process: subprocess.Popen, replies: queue.Queue) -> None:
        for line in process.stdout:
            if line.startswith("{"):
                replies.put(json.loads(line))
        replies.put(None)

    def call(self, timeout: float = 30, **command) -> dict:
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.restarts += 1
                self.start()
            try:
                self.process.stdin.write(json.dumps(command) + "\n")
                self.process.stdin.flush()
                reply = self.replies.get(timeout=timeout)
            except (OSError, queue.Empty):
                reply = None
            if reply is None:
                bench.stop(self.process)
                self.process = None
                return {"ok": False, "error": "no answer from the helper (timed out or died)"}
            return reply

    def call_until_ok(self, attempts: int = 5, **command) -> dict:
        """For the checks after recovery: a pooled connection the outage broke fails once, which is
        the editors' experience (recorded by the publisher), not an answer about the data."""
        reply = {}
        for _ in range(attempts):
            reply = self.call(**command)
            if reply.get("ok"):
                return reply
            time.sleep(1)
        return reply

    def stop(self) -> None:
        bench.stop(self.process)


def run_agent(section_id: int) -> int:
    """The helper process's loop (python -m benchmarks.faults --agent <section id>)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connections
    from django.utils import timezone

    from polosa.news.models import ArticlePage, SectionPage

    def new_article(title: str) -> ArticlePage:
        section = SectionPage.objects.get(pk=section_id)
        article = ArticlePage(
            title=title,
            slug=f"f-{time.time_ns()}",
            live=False,
            lead="Короткий лид проверочной публикации.",
            body=[("paragraph", "<p>Текст проверочной публикации.</p>")],
        )
        section.add_child(instance=article)
        return ArticlePage.objects.get(pk=article.pk)

    def publish(command: dict) -> dict:
        article = new_article(command["title"])
        try:
            article.save_revision().publish()
        except Exception as exc:
            # The transaction may have committed before an after-commit step (the cache) failed.
            return {"ok": False, "id": article.pk, "error": f"{type(exc).__name__}: {exc}"[:300]}
        return {"ok": True, "id": article.pk}

    def schedule(command: dict) -> dict:
        article = new_article(command["title"])
        article.go_live_at = timezone.now() + timedelta(seconds=command["in_seconds"])
        article.save_revision().publish()  # a future go_live_at makes Wagtail schedule the revision
        return {"ok": True, "id": article.pk, "due": article.go_live_at.timestamp()}

    def status(command: dict) -> dict:
        rows = ArticlePage.objects.filter(pk__in=command["ids"])
        found = {str(a.pk): {"live": a.live, "url": a.url, "title": a.title} for a in rows}
        return {"ok": True, "articles": found}

    ops = {"publish": publish, "schedule": schedule, "status": status}
    for line in sys.stdin:
        command = json.loads(line)
        try:
            reply = ops[command["op"]](command)
        except Exception as exc:
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
            connections.close_all()  # a broken connection goes back to the pool, which drops it
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    return 0


# --- HTTP -------------------------------------------------------------------------------------------


def fetch(port: int, path: str, timeout: float = 10) -> tuple[int, bytes, dict]:
    """Status (0 on a connection error), body and headers of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    except (OSError, http.client.HTTPException):
        return 0, b"", {}
    finally:
        connection.close()


def cached_pages(port: int, paths: list[str]) -> set[str]:
    """The pages the page cache holds now (a second GET is a hit)."""
    found = set()
    for path in paths:
        fetch(port, path)
        if fetch(port, path)[2].get("x-polosa-cache") == "hit":
            found.add(path)
    return found


def pages_showing(port: int, paths: list[str], needle: str, timeout: float) -> dict[str, float | None]:
    """Seconds until each page shows `needle` (None: not within `timeout`)."""
    started = time.monotonic()
    found: dict[str, float | None] = dict.fromkeys(paths)
    encoded = needle.encode()
    while time.monotonic() - started < timeout and any(v is None for v in found.values()):
        for path in [p for p, v in found.items() if v is None]:
            if time.monotonic() - started >= timeout:
                break
            status, body, _ = fetch(port, path, timeout=min(10.0, max(1.0, timeout)))
            if status == 200 and encoded in body:
                found[path] = round(time.monotonic() - started, 2)
        time.sleep(0.2)
    return found


# --- The run ------------------------------------------------------------------------------------------


@dataclass
class Stack:
    """Everything this run started, so it can be stopped whatever happens."""

    redis: Redis | None = None
    pg: Postgres | None = None
    app: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    agent: Agent | None = None
    loads: list[subprocess.Popen] = field(default_factory=list)
    cleaned: bool = False

    def cleanup(self) -> None:
        if self.cleaned:
            return
        self.cleaned = True
        steps = [*(lambda p=p: bench.stop(p) for p in self.loads)]
        steps += [
            lambda: self.agent and self.agent.stop(),
            lambda: bench.stop(self.worker),
            lambda: bench.stop(self.app),
            lambda: self.redis and self.redis.stop(),
            lambda: self.pg and self.pg.destroy(),
        ]
        for step in steps:
            try:  # one failing step must not leave the others running
                step()
            except Exception as exc:
                print(f"cleanup: {type(exc).__name__}: {exc}", file=sys.stderr)


class TimeUp(Exception):
    pass


def start_worker(env: dict) -> subprocess.Popen:
    log = log_file("worker.log")
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def start_wrk(args, paths_file: Path, seconds: float, miss_ratio: float, pause_ms: float = 0):
    command = [
        "wrk",
        f"-t{min(args.connections, 2)}",
        f"-c{args.connections}",
        f"-d{max(1, int(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        "Host: 127.0.0.1",
        "-H",
        "Accept-Encoding: identity",
        "-s",
        str(FAULTS_DIR / "faults.lua"),
        f"http://127.0.0.1:{args.port}/",
        str(paths_file),
        str(miss_ratio),
        str(pause_ms),
    ]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


def finish_wrk(process: subprocess.Popen, seconds: float) -> dict:
    try:
        output, _ = process.communicate(timeout=seconds + 40)
    except subprocess.TimeoutExpired:
        bench.stop(process)
        output = ""
    return parse_wrk_faults(output or "")


def run_wrk(
    args, stack: Stack, paths_file: Path, seconds: float, miss_ratio: float, pause_ms: float = 0
) -> dict:
    process = start_wrk(args, paths_file, seconds, miss_ratio, pause_ms)
    stack.loads.append(process)
    try:
        return finish_wrk(process, seconds)
    finally:
        stack.loads.remove(process)


class Checker(threading.Thread):
    """Polls every page of the mix in turn until stopped: (seconds into the phase, path, status, ms)."""

    def __init__(self, port: int, paths: list[str], started: float, limit: float):
        super().__init__(daemon=True)
        self.port, self.paths, self.started, self.limit = port, paths, started, limit
        self.results: list[tuple[float, str, int, float]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set() and time.monotonic() - self.started < self.limit:
            for path in self.paths:
                before = time.monotonic()
                status, _, _ = fetch(self.port, path, timeout=10)
                now = time.monotonic()
                self.results.append(
                    (round(before - self.started, 2), path, status, round((now - before) * 1000, 1))
                )
            self.halt.wait(0.1)


class Publisher(threading.Thread):
    """Publishes an article through the agent every `every` seconds until stopped."""

    def __init__(self, agent: Agent, phase: str, every: float, started: float, limit: float):
        super().__init__(daemon=True)
        self.agent, self.phase, self.every, self.started, self.limit = agent, phase, every, started, limit
        self.results: list[dict] = []
        self.halt = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.halt.is_set() and time.monotonic() - self.started < self.limit:
            n += 1
            title = f"{TITLE_PREFIX} {self.phase}-{n}-{random.randint(1000, 9999)}"
            at = time.monotonic()
            reply = self.agent.call(op="publish", title=title, timeout=30)
            self.results.append(
                {
                    "title": title,
                    "at": round(at - self.started, 2),
                    "seconds": round(time.monotonic() - at, 2),
                    **reply,
                }
            )
            self.halt.wait(max(0.0, self.every - (time.monotonic() - at)))


def inject(phase: str, stack: Stack, args, env: dict, notes: dict) -> None:
    """Break one thing, wait --fault-seconds, repair it; note what was done and when."""
    if phase == "redis":
        stack.redis.kill()
        time.sleep(args.fault_seconds)
        stack.redis.start()
    elif phase == "pg":
        stack.pg.stop("fast")
        time.sleep(args.fault_seconds)
        stack.pg.start()
    elif phase == "worker":
        stack.worker.kill()  # SIGKILL, no chance to finish anything
        stack.worker.wait(timeout=10)
        time.sleep(args.fault_seconds)
        stack.worker = start_worker(env)
    elif phase == "app":
        workers = children(stack.app.pid)
        notes["workers_before"] = workers
        if workers:
            victim = workers[0]
            notes["killed_worker"] = victim
            os.kill(victim, signal.SIGKILL)
            started = time.monotonic()
            respawned = wait_for(
                lambda: len([p for p in children(stack.app.pid) if p != victim]) >= len(workers),
                args.fault_seconds + 20,
            )
            notes["respawned_after_s"] = round(time.monotonic() - started, 2) if respawned else None
        time.sleep(max(0.0, args.fault_seconds - (notes.get("respawned_after_s") or 0)))


def run_phase(phase: str, stack: Stack, args, env: dict, mix: dict) -> dict:
    port = args.port
    paths = mix["paths"]
    print(f"phase {phase}: warming the mix ...", flush=True)
    cached = cached_pages(port, paths)
    result: dict = {"name": phase, "cached_before": sorted(cached), "notes": {}}
    result["redis_before"] = stack.redis.info()
    logs = {name: log_size(name) for name in LOGS}
    lead, fault, recovery = args.lead_seconds, args.fault_seconds, args.recovery_seconds
    total = lead + fault + recovery
    started = time.monotonic()
    load = start_wrk(args, mix["file"], total, args.phase_miss_ratio)
    stack.loads.append(load)
    checker = Checker(port, paths, started, total + 5)
    publisher = Publisher(stack.agent, phase, args.publish_every, started, total)
    scheduled = []
    try:
        checker.start()
        publisher.start()
        # Scheduled publications fall due while the fault lasts (the worker phase's point; in the
        # others they show whether the worker itself lives through the outage).
        count = 3 if phase == "worker" else 1
        for n in range(count):
            due_in = lead + 2 + n * max(1.0, (fault - 3) / max(1, count))
            title = f"{TITLE_PREFIX} {phase}-запланировано-{n}-{random.randint(1000, 9999)}"
            reply = stack.agent.call(op="schedule", title=title, in_seconds=due_in, timeout=30)
            scheduled.append({"title": title, **reply})
        time.sleep(max(0.0, lead - (time.monotonic() - started)))
        print(f"phase {phase}: fault", flush=True)
        result["notes"]["fault_at_s"] = round(time.monotonic() - started, 2)
        inject(phase, stack, args, env, result["notes"])
        recovered = time.monotonic()
        result["notes"]["recovered_at_s"] = round(recovered - started, 2)
        print(f"phase {phase}: repaired, load continues", flush=True)
        time.sleep(max(0.0, total - (time.monotonic() - started)))
    finally:
        publisher.halt.set()
        publisher.join(timeout=40)
        checker.halt.set()
        checker.join(timeout=15)
        result["wrk"] = finish_wrk(load, total)
        stack.loads.remove(load)
    recovered = started + result["notes"].get("recovered_at_s", total)

    # Whatever died on its own during the outage is noted and started again for the next phases.
    if stack.app.poll() is not None:
        result["notes"]["app_server_died"] = True
        stack.app = bench.start_app(args, env, page_cache=True)
    if stack.worker.poll() is not None:
        result["notes"]["worker_died"] = f"exit code {stack.worker.returncode}"
        stack.worker = start_worker(env)
    result["notes"]["app_up_after"] = bool(wait_for(lambda: fetch(port, "/")[0] == 200, 30))

    result["checker"] = summarize_checks(checker.results, cached)
    result["checker_5xx_by_page"] = {
        p: sum(1 for _, path, s, _ in checker.results if path == p and s >= 500) for p in paths
    }
    result["publishes"] = publisher.results
    result.update(verify_publishes(stack, port, publisher.results, args.visible_seconds))
    result["scheduled"] = verify_scheduled(stack, args, scheduled, recovered)
    result.update(verify_fresh(stack, port, mix, args))
    result["redis_after"] = stack.redis.info()
    result["logs"] = {name: summarize_log(log_since(name, offset)) for name, offset in logs.items()}
    print(f"phase {phase}: done", flush=True)
    return result


def verify_publishes(stack: Stack, port: int, publishes: list[dict], visible_seconds: float) -> dict:
    """Every publish that reported success is live and reaches /news/ within `visible_seconds` (later
    than --stale-seconds is the staleness check's business, not a lost publish); failures that still
    went live."""
    ok = [p for p in publishes if p.get("ok")]
    ids = [p["id"] for p in publishes if p.get("id")]
    reply = stack.agent.call_until_ok(op="status", ids=ids, timeout=30)
    if not reply.get("ok"):
        raise RuntimeError(f"cannot read the articles back after recovery: {reply.get('error')}")
    status = reply["articles"]
    missing_in_db = [p["title"] for p in ok if not status.get(str(p["id"]), {}).get("live")]
    started = time.monotonic()
    pending = [p["title"] for p in ok if p["title"] not in missing_in_db]
    waited_s = 0.0
    while pending and time.monotonic() - started < visible_seconds:
        status_code, body, _ = fetch(port, "/news/")
        text = body.decode("utf-8", "replace") if status_code == 200 else ""
        pending = [t for t in pending if t not in text]
        waited_s = round(time.monotonic() - started, 1)
        if pending:
            time.sleep(0.5)
    absent_from_news = pending
    failed_but_live = [
        p["title"] for p in publishes if not p.get("ok") and status.get(str(p.get("id")), {}).get("live")
    ]
    return {
        "publishes_ok": len(ok),
        "publishes_failed": len(publishes) - len(ok),
        "lost_publishes": len(set(missing_in_db) | set(absent_from_news)),
        "lost_detail": {"not_live_in_db": missing_in_db, "not_on_news": absent_from_news},
        "news_shows_all_after_s": None if absent_from_news else waited_s,
        "failed_but_live": failed_but_live,
    }


def verify_scheduled(stack: Stack, args, scheduled: list[dict], recovered: float) -> dict:
    """When each scheduled item went live; late if more than --late-seconds after the fault ended."""
    created = [s for s in scheduled if s.get("ok")]
    ids = [s["id"] for s in created]
    live_at: dict[str, float] = {}
    due_wall = {str(s["id"]): s["due"] for s in created}
    deadline = time.monotonic() + args.schedule_wait_seconds
    while ids and len(live_at) < len(ids) and time.monotonic() < deadline:
        found = stack.agent.call_until_ok(op="status", ids=ids, timeout=30).get("articles", {})
        for key, row in found.items():
            if row.get("live") and key not in live_at:
                live_at[key] = time.time()
        if len(live_at) < len(ids):
            time.sleep(2)
    recovered_wall = time.time() - (time.monotonic() - recovered)
    items = []
    for key in map(str, ids):
        went = live_at.get(key)
        items.append(
            {
                "id": int(key),
                "due_in_fault": due_wall[key] < recovered_wall,
                "late_after_due_s": None if went is None else round(went - due_wall[key], 1),
                "live_after_recovery_s": None
                if went is None
                else round(went - max(due_wall[key], recovered_wall), 1),
            }
        )
    late = sum(
        1
        for i in items
        if i["live_after_recovery_s"] is not None and i["live_after_recovery_s"] > args.late_seconds
    )
    return {
        "count": len(scheduled),
        "not_created": len(scheduled) - len(created),
        "late": late,
        "missing": sum(1 for i in items if i["live_after_recovery_s"] is None)
        + len(scheduled)
        - len(created),
        "items": items,
    }


def verify_fresh(stack: Stack, port: int, mix: dict, args) -> dict:
    """After recovery, a new headline reaches every page that shows headlines within --stale-seconds
    (a page still serving what it stored before or during the fault is stale)."""
    pages = mix["headline_pages"]
    failures = []
    for attempt in range(3):
        title = f"{TITLE_PREFIX} после-{attempt}-{random.randint(100000, 999999)}"
        reply = stack.agent.call(op="publish", title=title, timeout=30)
        if reply.get("ok"):
            break
        failures.append(reply.get("error"))
        time.sleep(1)
    else:
        return {
            "stale_pages": list(pages),
            "headline_pages": len(pages),
            "fresh_check": f"no publish succeeded after recovery: {failures}",
        }
    # Watched longer than the verdict's --stale-seconds, to tell "late" from "never".
    seen = pages_showing(port, pages, title, max(args.stale_seconds, args.stale_watch_seconds))
    return {
        "stale_pages": sorted(p for p, s in seen.items() if s is None or s > args.stale_seconds),
        "headline_pages": len(pages),
        "fresh_seconds": seen,
        "publish_failures_after_recovery": failures,
        # What a stale page answers now, for whoever looks into it.
        "stale_answers": {
            p: {"status": answer[0], "cache": answer[2].get("x-polosa-cache"), "age": answer[2].get("age")}
            for p, s in seen.items()
            if s is None
            for answer in [fetch(port, p)]
        },
    }


def prepare_mix(args, data: dict) -> dict:
    """The page mix: the pages readers open most, each answering 200 now."""
    urls = data["urls"]
    candidates = [
        "/",
        "/news/",
        urls["section"],
        urls["tag"],
        urls["article"],
        *data["sample_paths"][:2],
        urls["search"],
        *bench.RSS_CANDIDATES[:1],
    ]
    paths, absent = [], {}
    for path in dict.fromkeys(candidates):
        status = fetch(args.port, path, timeout=30)[0]
        if status == 200:
            paths.append(path)
        else:
            absent[path] = status
    mix_file = FAULTS_DIR / "mix.txt"
    mix_file.write_text("\n".join(paths) + "\n")
    return {"paths": paths, "absent": absent, "file": mix_file, "headline_pages": []}


def run_soak(args, stack: Stack, mix: dict, minutes: float) -> dict:
    """Capacity with a short unpaced run, then ~80% of it for `minutes`, paced by a per-connection
    pause calibrated once; errors, p99 and each app worker's resident memory at start and end."""
    ratio = args.soak_miss_ratio
    print(f"soak: measuring capacity ({args.capacity_seconds} s) ...", flush=True)
    capacity = run_wrk(args, stack, mix["file"], args.capacity_seconds, ratio)
    if not capacity.get("rps"):
        return {"skipped": "the capacity run measured nothing", "capacity": capacity}
    target = round(capacity["rps"] * args.soak_load, 1)
    pause = pacing_delay_ms(args.connections, target, capacity["rps"], 0)
    calibration = []
    for _ in range(2):
        run = run_wrk(args, stack, mix["file"], args.capacity_seconds, ratio, pause)
        calibration.append({"pause_ms": pause, **run})
        pause = pacing_delay_ms(args.connections, target, run.get("rps") or target, pause)
    workers = children(stack.app.pid)
    start = {pid: rss_mb(pid) for pid in workers}
    print(f"soak: {minutes:.1f} min at ~{target} req/s (pause {pause} ms per connection) ...", flush=True)
    load = run_wrk(args, stack, mix["file"], minutes * 60, ratio, pause)
    memory = {}
    for pid in workers:
        end = rss_mb(pid)
        memory[str(pid)] = {
            "start": start[pid],
            "end": end,
            "growth": round(end - start[pid], 1)
            if end is not None and start[pid] is not None
            else float("nan"),
        }
    return {
        "minutes": round(minutes, 2),
        "miss_ratio": ratio,
        "capacity_rps": capacity["rps"],
        "capacity": capacity,
        "target_rps": target,
        "pause_ms": pause,
        "calibration": calibration,
        "wrk": load,
        "worker_rss_mb": memory,
        "workers_now": children(stack.app.pid),
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--tags", type=int, default=40)
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, of {', '.join(PHASES)}")
    parser.add_argument("--workers", type=int, default=2, help="app worker processes")
    parser.add_argument("--interface", choices=("asginl", "wsgi"), default="asginl")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8095, help="app port (the next free one if taken)")
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--lead-seconds", type=float, default=3, help="load before each fault")
    parser.add_argument("--fault-seconds", type=float, default=10, help="how long each fault lasts")
    parser.add_argument("--recovery-seconds", type=float, default=20, help="load after each repair")
    parser.add_argument("--publish-every", type=float, default=2.5, help="seconds between editor publishes")
    parser.add_argument("--phase-miss-ratio", type=float, default=0.1, help="share of cache-busting requests")
    parser.add_argument("--stale-seconds", type=float, default=5, help="a new headline must show within this")
    parser.add_argument(
        "--visible-seconds", type=float, default=30, help="a publish not on /news/ by then is lost"
    )
    parser.add_argument(
        "--stale-watch-seconds", type=float, default=30, help="how long stale pages are watched"
    )
    parser.add_argument("--late-seconds", type=float, default=45, help="scheduled item late after the repair")
    parser.add_argument("--schedule-wait-seconds", type=float, default=90)
    parser.add_argument("--soak-minutes", type=float, default=10, help="0: no soak")
    parser.add_argument("--soak-load", type=float, default=0.8, help="share of measured capacity")
    parser.add_argument("--soak-miss-ratio", type=float, default=0.25)
    parser.add_argument("--capacity-seconds", type=int, default=10)
    parser.add_argument("--start-timeout", type=float, default=90)
    parser.add_argument("--max-minutes", type=float, default=40, help="the whole run stops after this")
    parser.add_argument("--json", type=Path, default=FAULTS_DIR / "result.json")
    args = parser.parse_args(argv)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--agent"]:
        return run_agent(int(argv[1]))
    args = parse_args(argv)
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            print(f"{tool} is not installed (apt install wrk redis-server postgresql)", file=sys.stderr)
            return 2
    FAULTS_DIR.mkdir(parents=True, exist_ok=True)
    (FAULTS_DIR / "faults.lua").write_text(WRK_SCRIPT)
    # bench.py's helpers (start_app, its server log) work under BENCH_DIR: this run's is var/faults.
    bench.BENCH_DIR = FAULTS_DIR

    run_started = time.monotonic()
    deadline = run_started + args.max_minutes * 60
    stack = Stack()
    atexit.register(stack.cleanup)

    def time_up(signum, frame):
        raise TimeUp(f"--max-minutes {args.max_minutes} reached")

    def terminated(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGALRM, time_up)
    signal.signal(signal.SIGTERM, terminated)
    signal.alarm(max(1, int(args.max_minutes * 60)))

    result: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(), "phases": []}
    code = 0
    try:
        args.port = free_port(args.port)
        stack.redis = Redis(free_port(args.redis_port, {args.port}))
        stack.pg = Postgres(free_port(args.pg_port, {args.port, stack.redis.port}))
        print(f"Redis on {stack.redis.port}, PostgreSQL on {stack.pg.port}, app on {args.port}", flush=True)
        stack.redis.start()
        stack.pg.init()
        stack.pg.start()
        os.environ["DATABASE_URL"] = stack.pg.url
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{stack.redis.port}/0"
        # The worker's rates import calls the Bank of Russia; give it an hour this run never reaches.
        moscow_hour = time.gmtime().tm_hour + 3
        os.environ["POLOSA_RATES_HOURS"] = str((moscow_hour + 12) % 24)
        env = bench.configure_environment(args)
        data = bench.prepare_data(args)
        from django.db import connections

        connections.close_all()  # this process does no more ORM work: the helper does, across faults
        result.update(
            articles=data["articles"],
            server=f"granian {args.interface}, {args.workers} workers",
            wrk=f"{args.connections} connections",
            load_before=bench.load_average(),
        )
        print("Starting the app server and the worker ...", flush=True)
        stack.app = bench.start_app(args, env, page_cache=True)
        stack.worker = start_worker(env)
        stack.agent = Agent(env, data["section_id"])
        stack.agent.start()
        mix = prepare_mix(args, data)
        result["mix"] = mix["paths"]
        result["mix_absent"] = mix["absent"]
        # Which pages show a new headline: those the staleness check watches after each fault.
        title = f"{TITLE_PREFIX} начало-{random.randint(100000, 999999)}"
        reply = stack.agent.call(op="publish", title=title, timeout=60)
        if not reply.get("ok"):
            raise RuntimeError(f"the first publish failed before any fault: {reply.get('error')}")
        seen = pages_showing(args.port, mix["paths"], title, 15)
        mix["headline_pages"] = [p for p, s in seen.items() if s is not None]
        result["headline_pages"] = mix["headline_pages"]

        phase_seconds = args.lead_seconds + args.fault_seconds + args.recovery_seconds
        for phase in args.phases:
            # A phase takes its load, then up to about two minutes of checks.
            if time.monotonic() + phase_seconds + 150 > deadline:
                result["phases"].append({"name": phase, "skipped": "--max-minutes would be exceeded"})
                continue
            result["phases"].append(run_phase(phase, stack, args, env, mix))

        if args.soak_minutes > 0:
            spare = (deadline - time.monotonic()) / 60 - 1.5 - 4 * args.capacity_seconds / 60
            minutes = min(args.soak_minutes, spare)
            if minutes < 0.25:
                result["soak"] = {"skipped": "no time left under --max-minutes"}
            else:
                result["soak"] = run_soak(args, stack, mix, minutes)
        result["load_after"] = bench.load_average()
    except TimeUp as exc:
        result["stopped"] = str(exc)
        code = 1
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        code = 1
        import traceback

        traceback.print_exc()
    finally:
        signal.alarm(0)
        if stack.agent is not None:
            result["agent_restarts"] = stack.agent.restarts
        stack.cleanup()
        result["seconds"] = round(time.monotonic() - run_started, 1)
        result["cleaned_up"] = not (FAULTS_DIR / "pg").exists()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print()
    print(format_table(result))
    for phase in result["phases"]:
        if phase.get("notes"):
            print(f"{phase['name']}: {json.dumps(phase['notes'], ensure_ascii=False)}")
        if "redis_after" in phase:
            print(f"  redis clients before/after: {phase['redis_before']} / {phase['redis_after']}")
    if "error" in result or "stopped" in result:
        print(f"stopped early: {result.get('error') or result.get('stopped')}")
    print(f"\nJSON: {args.json}")
    return code


if __name__ == "__main__":
    sys.exit(main())
