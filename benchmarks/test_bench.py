"""The benchmark reads wrk's report correctly (the run itself is `make bench`, not a unit test)."""

from benchmarks.bench import parse_wrk, to_ms

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8091/news/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.20ms   20.11ms 400.00ms   95.00%
    Req/Sec   355.12     80.00   500.00     70.00%
  Latency Distribution
     50%   10.30ms
     75%   12.00ms
     90%   15.00ms
     99%    1.24s
  7116 requests in 10.00s, 300.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:    711.60
Transfer/sec:     30.00MB
"""


def test_wrk_report_is_read_into_milliseconds_and_errors():
    assert parse_wrk(WRK_OUTPUT) == {"rps": 711.6, "p50_ms": 10.3, "p99_ms": 1240.0, "errors": 8}


def test_units_convert_to_milliseconds():
    assert (to_ms("250.00us"), to_ms("3.5ms"), to_ms("2.00s")) == (0.25, 3.5, 2000.0)


def test_a_failed_wrk_run_gives_empty_figures():
    assert parse_wrk("unable to connect to 127.0.0.1:8091 Connection refused") == {
        "rps": None,
        "p50_ms": None,
        "p99_ms": None,
        "errors": 0,
    }
