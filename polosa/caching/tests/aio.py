"""Running a coroutine from a test, whatever else holds the main thread's event loop."""

import asyncio
import threading


def run(coroutine):
    """`asyncio.run` in a thread of its own: Playwright's sync API keeps a loop running in the main
    thread once a browser test has started, and asyncio.run refuses to start inside it."""
    result = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            result["error"] = error

    # A daemon, so a loop that never finishes can fail its test but not hang the run at exit.
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=60)
    if thread.is_alive():
        raise TimeoutError("the coroutine did not finish within 60 s")
    if "error" in result:
        raise result["error"]
    return result.get("value")
