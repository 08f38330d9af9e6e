"""Cold article renders under load: the server's CPU per render and the readers' p50/p99.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m benchmarks.cold_article --articles 1000000

The same server, data and wrk set-up as `make bench`'s cold phase (benchmarks/bench.py: production
settings under granian, the page cache off, shared fragments cached, wrk rotating over 2,000 sample
articles), on its own, so one figure can be measured again quickly and two versions of the code side
by side. Besides requests/s and latency it reports the CPU the app's processes spent per request (the
figure a shared machine disturbs least) and that of every PostgreSQL process meanwhile (the database's
share, with whatever else the machine's PostgreSQL did in that time).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks import bench


def postgres_cpu_seconds() -> float:
    return sum(cpu for comm, _parent, cpu in bench.processes().values() if comm == "postgres")


def measure(args) -> dict:
    env = bench.configure_environment(args)
    data = bench.prepare_data(args)
    paths_file = bench.BENCH_DIR / "cold-paths.txt"
    paths_file.write_text("\n".join(data["sample_paths"]) + "\n")
    app = bench.start_app(args, env, page_cache=False)
    try:
        # Each worker's first renders load templates and settle the connection pools.
        warm = argparse.Namespace(**{**vars(args), "duration": 3})
        bench.wrk(warm, args.port, "/", paths_file)
        app_before, pg_before = bench.process_cpu_seconds(app.pid), postgres_cpu_seconds()
        row = bench.wrk(args, args.port, "/", paths_file)
        app_spent = bench.process_cpu_seconds(app.pid) - app_before
        pg_spent = postgres_cpu_seconds() - pg_before
    finally:
        bench.stop(app)
    requests = (row["rps"] or 0) * args.duration
    if requests:
        row["app_cpu_ms_per_request"] = round(app_spent / requests * 1000, 2)
        row["postgres_cpu_ms_per_request"] = round(pg_spent / requests * 1000, 2)
    row.update(
        articles=data["articles"],
        database=env["DATABASE_URL"].split(":", 1)[0],
        connections=args.connections,
        workers=args.workers,
        load_average=bench.load_average(),
    )
    return row


def main(argv=None) -> int:
    parser = bench.server_arguments(__doc__, 8095)
    parser.add_argument("--json", type=Path, default=bench.BENCH_DIR / "cold_article.json")
    args = parser.parse_args(argv)
    started = time.monotonic()
    row = measure(args)
    row["seconds"] = round(time.monotonic() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(row, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(row, indent=2, ensure_ascii=False))
    return 0 if row.get("rps") else 1


if __name__ == "__main__":
    sys.exit(main())
