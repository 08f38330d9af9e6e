"""The embedded file cache's add() lets exactly one caller in, across threads and processes."""

import multiprocessing
import threading
import time

from polosa.caching.filecache import AtomicFileBasedCache

THREADS = 16
PROCESSES = 4
THREADS_PER_PROCESS = 4
ROUNDS = 20


def make(location) -> AtomicFileBasedCache:
    return AtomicFileBasedCache(str(location), {"TIMEOUT": 60})


def race_in_threads(cache, key, threads=THREADS, barrier=None) -> int:
    """How many of `threads` threads, released at once, were let in by add(key)."""
    barrier = barrier or threading.Barrier(threads)
    wins = []

    def contend(n):
        barrier.wait(timeout=10)
        if cache.add(key, n, 60):
            wins.append(n)

    workers = [threading.Thread(target=contend, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    return len(wins)


def _contend_in_process(location, rounds, start, results):
    """One process: in each round, a few threads race add() on the round's key with every other
    process's threads (all start at the same moment through the shared barrier)."""
    cache = make(location)
    wins = []
    for n in range(rounds):
        start.wait(timeout=20)
        barrier = threading.Barrier(THREADS_PER_PROCESS)
        wins.append(race_in_threads(cache, f"round-{n}", THREADS_PER_PROCESS, barrier))
    results.put(wins)


def race_in_processes(location, rounds=ROUNDS) -> list[int]:
    """Winners per round when PROCESSES processes x THREADS_PER_PROCESS threads race add()."""
    context = multiprocessing.get_context("spawn")  # no forking of a process that has threads
    start = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(target=_contend_in_process, args=(str(location), rounds, start, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        per_process = [results.get(timeout=60) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
    return [sum(wins) for wins in zip(*per_process, strict=True)]


def test_one_of_many_threads_wins(tmp_path):
    cache = make(tmp_path)
    for n in range(ROUNDS):
        assert race_in_threads(cache, f"key-{n}") == 1
        assert cache.get(f"key-{n}") is not None


def test_one_of_several_processes_wins(tmp_path):
    assert race_in_processes(tmp_path) == [1] * ROUNDS


def test_an_expired_entry_can_be_added_again_by_exactly_one(tmp_path):
    cache = make(tmp_path)
    for n in range(ROUNDS):
        cache.set(f"lock-{n}", "a render that died", 0)  # stored already expired
        assert race_in_threads(cache, f"lock-{n}") == 1
    assert cache.add("short", 1, 1)
    assert not cache.add("short", 2, 1)
    time.sleep(1.1)
    assert cache.add("short", 3, 60)
    assert cache.get("short") == 3


def test_expired_entries_raced_by_processes(tmp_path):
    cache = make(tmp_path)
    for n in range(ROUNDS):
        cache.set(f"round-{n}", "stale", 0)
    assert race_in_processes(tmp_path) == [1] * ROUNDS


def test_a_reader_finding_an_expired_entry_never_removes_a_fresh_one(tmp_path):
    # Django's get() removes an expired file by name; meanwhile another process may have put a new
    # entry there. Readers and adders hammer one expiring key: the live entry is never lost.
    cache = make(tmp_path)
    stop = time.monotonic() + 1.0
    rounds, lost = [], []

    def reader():
        while time.monotonic() < stop:
            cache.get("k")

    def adder():
        while time.monotonic() < stop:
            cache.set("k", "old", 0)
            won = cache.add("k", "new", 60)
            rounds.append(won)
            if not won or cache.get("k") != "new":
                lost.append(won)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=adder)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(rounds) > 50
    assert not lost


def test_other_operations_behave_as_djangos(tmp_path):
    cache = make(tmp_path)
    assert cache.add("a", {"x": 1})
    assert cache.get("a") == {"x": 1}
    assert not cache.add("a", 2)
    cache.set("a", 3)
    assert cache.get("a") == 3
    assert cache.delete("a")
    assert cache.add("a", 4)
    assert cache.incr("a") == 5
    cache.clear()
    assert cache.get("a") is None
    # No temporary files are left behind, won or lost.
    assert not [p for p in tmp_path.iterdir() if p.is_file() and not p.name.endswith(".djcache")]
