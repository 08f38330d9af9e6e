"""The fault suite's pure parts: wrk's report with status classes, /proc, pacing, the summary and the
table (the run itself is `make faults`, not a unit test)."""

import math

from benchmarks.faults import (
    COLUMNS,
    WRK_SCRIPT,
    format_table,
    pacing_delay_ms,
    parse_proc_status,
    parse_redis_info,
    parse_wrk_faults,
    summarize_checks,
    summarize_log,
    table_rows,
)

WRK_OUTPUT = """Running 33s test @ http://127.0.0.1:8095/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms   80.11ms   2.00s    95.00%
    Req/Sec    90.12     20.00   150.00     70.00%
  Latency Distribution
     50%   20.30ms
     75%   32.00ms
     90%   75.00ms
     99%  812.00ms
  5950 requests in 33.00s, 300.00MB read
  Socket errors: connect 12, read 3, write 0, timeout 4
  Non-2xx or 3xx responses: 41
Requests/sec:    180.30
Transfer/sec:      9.00MB
STATUS 2xx=5900 3xx=9 4xx=2 5xx=39
"""

STATUS = """Name:\tpython
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
PPid:\t4200
VmPeak:\t  400000 kB
VmRSS:\t  263808 kB
Threads:\t5
"""


def test_the_wrk_report_gives_requests_socket_errors_and_status_classes():
    parsed = parse_wrk_faults(WRK_OUTPUT)
    assert parsed["requests"] == 5950
    assert parsed["socket_errors"] == 19
    assert parsed["statuses"] == {"2xx": 5900, "3xx": 9, "4xx": 2, "5xx": 39}
    assert (parsed["rps"], parsed["p50_ms"], parsed["p99_ms"]) == (180.3, 20.3, 812.0)


def test_a_wrk_that_never_ran_gives_empty_figures():
    parsed = parse_wrk_faults("")
    assert parsed["requests"] is None
    assert (parsed["socket_errors"], parsed["statuses"]) == (0, {})


def test_the_lua_script_prints_the_line_the_parser_reads():
    assert 'io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\\n"' in WRK_SCRIPT


def test_proc_status_gives_the_parent_and_resident_memory():
    assert parse_proc_status(STATUS) == {"ppid": 4200, "state": "S", "rss_kb": 263808}
    zombie = "Name:\tpython\nState:\tZ (zombie)\nPPid:\t4200\n"
    assert parse_proc_status(zombie) == {"ppid": 4200, "state": "Z", "rss_kb": None}


def test_pacing_lengthens_each_connections_cycle_to_reach_the_target():
    # 8 connections at 200 req/s cycle every 40 ms; 160 req/s needs 50 ms: 10 ms more pause.
    assert pacing_delay_ms(8, 160, 200, 0) == 10.0
    assert pacing_delay_ms(8, 160, 150, 10.0) == 6.7  # overshot the pause: shorten it
    assert pacing_delay_ms(8, 160, 100, 2.0) == 0.0  # never negative
    assert pacing_delay_ms(8, 160, 0, 3.0) == 3.0  # nothing measured: keep it


def test_the_checker_summary_separates_pages_that_had_a_cached_copy():
    checks = [
        (0.1, "/", 200, 10.0),
        (0.2, "/news/", 200, 12.0),
        (4.0, "/", 503, 5.0),
        (4.1, "/search/", 500, 900.0),
        (4.2, "/news/", 0, 10000.0),
    ]
    assert summarize_checks(checks, cached={"/", "/news/"}) == {
        "requests": 5,
        "5xx": 2,
        "5xx_cached": 1,
        "conn_errors": 1,
        "conn_errors_cached": 1,
        "p99_ms": 900.0,
    }


RESULT = {
    "phases": [
        {
            "name": "redis",
            "wrk": parse_wrk_faults(WRK_OUTPUT),
            "checker": {"requests": 50, "5xx": 3, "5xx_cached": 2, "conn_errors": 1},
            "publishes_ok": 8,
            "lost_publishes": 1,
            "scheduled": {"count": 1, "late": 0, "missing": 1},
            "stale_pages": ["/news/"],
            "headline_pages": 9,
        },
        {"name": "pg", "skipped": "--max-minutes would be exceeded"},
    ],
    "soak": {
        "minutes": 1.0,
        "miss_ratio": 0.25,
        "capacity_rps": 150.0,
        "target_rps": 120.0,
        "wrk": {"rps": 118.0, "requests": 7080, "socket_errors": 0, "statuses": {"5xx": 0}, "p99_ms": 420.5},
        "worker_rss_mb": {"4242": {"start": 250.0, "end": 262.5, "growth": 12.5}},
    },
}


def test_the_table_has_one_row_per_phase_and_the_soak():
    rows = table_rows(RESULT)
    assert rows[0] == ["redis", "6000", "42", "2", "20", "1/8", "0/1 of 1", "1/9", "812.0"]
    assert rows[1][:2] == ["pg", "skipped: --max-minutes would be exceeded"]
    assert rows[2] == ["soak", "7080", "0", "-", "0", "-", "-", "-", "420.5"]
    assert all(len(row) == len(COLUMNS) for row in rows)


def test_the_printed_table_names_every_column_and_the_memory_growth():
    text = format_table(RESULT)
    header = text.splitlines()[0]
    for name, _ in COLUMNS:
        assert name in header
    assert "pg        skipped: --max-minutes would be exceeded" in text
    assert "= 79% of capacity 150.0" in text
    assert "app worker 4242: 250.0 -> 262.5 MB (+12.5)" in text


def test_a_worker_that_vanished_during_the_soak_shows_no_growth():
    result = {
        "phases": [],
        "soak": {**RESULT["soak"], "worker_rss_mb": {"7": {"start": 1.0, "end": None, "growth": math.nan}}},
    }
    assert "app worker 7: 1.0 -> None MB (+nan)" in format_table(result)


def test_redis_info_is_read_into_a_dict():
    reply = (
        "$60\r\n# Clients\r\nconnected_clients:9\r\nmaxclients:10000\r\n# Stats\r\nrejected_connections:3\r\n"
    )
    info = parse_redis_info(reply)
    assert (info["connected_clients"], info["maxclients"], info["rejected_connections"]) == (
        "9",
        "10000",
        "3",
    )


def test_the_log_summary_counts_errors_and_warnings_with_numbers_masked():
    text = "\n".join(
        [
            "2026-12-02 15:44:55,067 ERROR polosa.caching.redis: Redis at 127.0.0.1:6390 is unreachable",
            "2026-12-02 15:44:56,001 ERROR polosa.caching.redis: Redis at 127.0.0.1:6390 is unreachable",
            "2026-12-02 15:45:48,787 WARNING polosa.caching.redis: Redis is back after 30.0 s",
            "2026-12-02 15:45:49,000 INFO polosa.worker: recurring jobs: none",
            "Traceback (most recent call last):",
        ]
    )
    assert summarize_log(text) == [
        [2, "ERROR polosa.caching.redis: Redis at N is unreachable"],
        [1, "WARNING polosa.caching.redis: Redis is back after N s"],
    ]
