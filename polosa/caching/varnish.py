"""Varnish as the edge in front of Polosa: the concrete VCL, and a varnishd to run it.

The VCL is ``docs/deploy/varnish.vcl``, a template with ``${name}`` placeholders (see its header).
`render_vcl` fills them for one app server; `Edge` runs varnishd in the foreground with a private
working directory (under ``var/varnish/``), so several can run on one machine beside the system's
own Varnish and be stopped by their process, and `run` is what ``manage.py run_edge`` (and
``make edge``) calls.

This is the developer's and the benchmark's Varnish. A production machine uses the distribution's
service (``/etc/varnish``, its own user and jail) with the file written by
``manage.py run_edge --write-vcl``; docs/deploy/varnish.md says how.

Needs no Django: the management command passes what it reads from settings.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TEMPLATE = BASE_DIR / "docs" / "deploy" / "varnish.vcl"
WORK_ROOT = BASE_DIR / "var" / "varnish"
HEALTH_PATH = "/_edge/health"
DEFAULT_PURGERS = ("127.0.0.1", "::1")
DEFAULT_STORAGE = "malloc,256m"
# Parameters every instance gets, each for a reason:
DEFAULT_PARAMS = {
    # A page's key header lists every article card it shows; the defaults (8k per header line,
    # 32k per response head) would turn a long front page into a 503.
    "http_resp_hdr_len": "64k",
    "http_resp_size": "128k",
    "workspace_backend": "256k",
    # A live-blog event stream lasts up to POLOSA_LIVE_STREAM_SECONDS (600 s); the default total send
    # time (600 s) would cut it just before the app closes it.
    "send_timeout": "1200",
}
_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")
_HOST = re.compile(r"^[A-Za-z0-9.:\-\[\]]+$")


class VarnishError(RuntimeError):
    pass


@dataclass(frozen=True)
class EdgeConfig:
    """What the VCL template needs for one app server."""

    backend_host: str = "127.0.0.1"
    backend_port: int = 8000
    # A Host the app accepts (ALLOWED_HOSTS): the health probe is a real request.
    probe_host: str = "127.0.0.1"
    # Addresses or networks ("10.0.0.0/8") allowed to PURGE: the app servers and the workers.
    purgers: Sequence[str] = DEFAULT_PURGERS
    # Seconds a page past its time is served while refetched when the app is healthy
    # (POLOSA_STALE_WHILE_REVALIDATE), and the stale-if-error for responses that name none
    # (POLOSA_STALE_IF_ERROR).
    grace_healthy: int = 30
    grace_fallback: int = 86_400

    def values(self) -> dict[str, str]:
        for name in ("backend_host", "probe_host"):
            if not _HOST.match(getattr(self, name)):
                raise VarnishError(f"{name}={getattr(self, name)!r} is not a host name or address")
        if not 0 < int(self.backend_port) < 65536:
            raise VarnishError(f"backend_port={self.backend_port!r} is not a port")
        return {
            "backend_host": self.backend_host,
            "backend_port": str(int(self.backend_port)),
            "probe_host": self.probe_host,
            "purgers": " ".join(acl_entry(p) for p in self.purgers),
            "grace_healthy": f"{max(0, int(self.grace_healthy))}s",
            "grace_fallback": f"{max(0, int(self.grace_fallback))}s",
        }


def acl_entry(value: str) -> str:
    """One VCL ACL line: ``"10.0.0.0"/8;`` for a network, ``"::1";`` for an address."""
    value = value.strip()
    if value == "localhost":
        return '"localhost";'
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError as error:
        raise VarnishError(f"purger {value!r} is not an address or network") from error
    if "/" in value:
        return f'"{network.network_address}"/{network.prefixlen};'
    return f'"{network.network_address}";'


def parse_address(value: str, default_port: int) -> tuple[str, int]:
    """``host:port`` (or ``host``, or ``[v6]:port``) into its parts."""
    match = re.match(r"^\[(.+)\](?::(\d+))?$", value) or re.match(r"^([^:]+)(?::(\d+))?$", value)
    if not match:
        raise VarnishError(f"{value!r} is not host:port")
    return match.group(1), int(match.group(2) or default_port)


def render_vcl(config: EdgeConfig, template: Path = TEMPLATE) -> str:
    """The concrete VCL: every placeholder filled. Comment lines are left as written (they name the
    placeholders); a placeholder left anywhere else is an error, not a broken VCL."""
    values = config.values()
    lines = []
    for line in template.read_text().splitlines(keepends=True):
        if line.lstrip().startswith("#"):
            lines.append(line)
            continue

        def fill(match: re.Match) -> str:
            name = match.group(1)
            if name not in values:
                raise VarnishError(f"{template}: unknown placeholder ${{{name}}}")
            return values[name]

        lines.append(_PLACEHOLDER.sub(fill, line))
    return "".join(lines)


def write_vcl(config: EdgeConfig, path: Path, template: Path = TEMPLATE) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_vcl(config, template))
    return path


def varnishd_path() -> str | None:
    return shutil.which("varnishd") or ("/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None)


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if found is None:
        raise VarnishError(f"{name} is not installed (apt install varnish varnish-modules)")
    return found


def compile_vcl(path: Path) -> None:
    """Compile `path` with ``varnishd -C`` (the C it prints is discarded); raise with the compiler's
    message when it does not compile."""
    varnishd = varnishd_path()
    if varnishd is None:
        raise VarnishError("varnishd is not installed (apt install varnish varnish-modules)")
    with tempfile.TemporaryDirectory(prefix="polosa-vcc-") as workdir:
        done = subprocess.run(  # noqa: S603 - fixed argument list
            [varnishd, "-C", "-j", "none", "-n", workdir, "-f", str(Path(path).resolve())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    if done.returncode != 0:
        message = (
            done.stderr[done.stderr.find("Message from VCC") :]
            if "Message from VCC" in done.stderr
            else done.stderr
        )
        raise VarnishError(f"{path} does not compile:\n{message.strip()}")


@dataclass
class Edge:
    """One varnishd in the foreground (``-F``) with its own working directory.

    Use as a context manager, or `start` and `stop`. `stats` reads its counters (varnishstat) and
    `admin` sends a CLI command (varnishadm), both through the working directory.
    """

    config: EdgeConfig
    port: int = 6081
    listen_host: str = "127.0.0.1"
    workdir: Path | None = None
    storage: str = DEFAULT_STORAGE
    params: Mapping[str, str] = field(default_factory=dict)
    # varnishd's own output: to the caller's terminal, or (False) a log file in the working directory.
    to_terminal: bool = False
    process: subprocess.Popen | None = field(default=None, init=False)

    def __post_init__(self):
        self.workdir = Path(self.workdir or WORK_ROOT / str(self.port)).resolve()

    @property
    def vcl_path(self) -> Path:
        return self.workdir / "polosa.vcl"

    @property
    def log_path(self) -> Path:
        return self.workdir / "varnishd.log"

    @property
    def url(self) -> str:
        return f"http://{self.listen_host}:{self.port}"

    def command(self) -> list[str]:
        varnishd = varnishd_path()
        if varnishd is None:
            raise VarnishError("varnishd is not installed (apt install varnish varnish-modules)")
        command = [
            varnishd,
            "-F",
            "-n",
            str(self.workdir),
            "-a",
            f"{self.listen_host}:{self.port}",
            "-f",
            str(self.vcl_path),
            "-s",
            self.storage,
            # This instance runs as whoever starts it, files under var/; the unix jail would hand
            # them to the system's varnish user.
            "-j",
            "none",
        ]
        for name, value in {**DEFAULT_PARAMS, **self.params}.items():
            command += ["-p", f"{name}={value}"]
        return command

    def start(self, timeout: float = 20) -> Edge:
        if self.process is not None and self.process.poll() is None:
            return self
        self.workdir.mkdir(parents=True, exist_ok=True)
        write_vcl(self.config, self.vcl_path)
        output = log = None
        if not self.to_terminal:
            log = output = open(self.log_path, "ab")  # noqa: SIM115 - closed once the process has started
        try:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                self.command(),
                stdout=output,
                stderr=subprocess.STDOUT if log is not None else None,
                stdin=subprocess.DEVNULL,
                # Its own process group: a terminal's Ctrl-C reaches the caller, which stops it in order.
                start_new_session=True,
            )
        finally:
            if log is not None:
                log.close()
        try:
            self.wait_until_answering(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def answer(self, timeout: float = 2) -> int | None:
        """The status of Varnish's own health answer (200 with a healthy backend, 503 without), or
        None when it does not answer."""
        connection = http.client.HTTPConnection(self.listen_host, self.port, timeout=timeout)
        try:
            connection.request("GET", HEALTH_PATH, headers={"Host": self.config.probe_host})
            return connection.getresponse().status
        except OSError:
            return None
        finally:
            connection.close()

    def wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise VarnishError(f"varnishd exited with {self.process.returncode}: {self.log_tail()}")
            if self.answer() is not None:
                return
            time.sleep(0.1)
        raise VarnishError(f"varnishd did not answer on {self.url} within {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        if self.to_terminal:
            return "see its output above"
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        # SIGTERM to the manager; its group holds the child that serves, which it stops itself.
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stats(self, fields: Iterable[str] = ("MAIN.*",)) -> dict[str, int]:
        """Counters by name (``MAIN.cache_hit`` ...), from ``varnishstat -j``."""
        command = [_tool("varnishstat"), "-n", str(self.workdir), "-1", "-j"]
        for name in fields:
            command += ["-f", name]
        done = subprocess.run(command, capture_output=True, text=True, timeout=15, check=False)  # noqa: S603
        if done.returncode != 0:
            raise VarnishError(f"varnishstat failed: {done.stderr.strip()}")
        data = json.loads(done.stdout)
        counters = data.get("counters", data)  # 7.x nests them; older versions did not
        return {name: int(value["value"]) for name, value in counters.items() if isinstance(value, dict)}

    def admin(self, *args: str) -> str:
        """Run a varnishadm CLI command (``backend.set_health polosa_app sick``) and return its output."""
        done = subprocess.run(  # noqa: S603 - fixed argument list
            [_tool("varnishadm"), "-n", str(self.workdir), *args],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
        if done.returncode != 0:
            raise VarnishError(f"varnishadm {' '.join(args)}: {done.stdout.strip()} {done.stderr.strip()}")
        return done.stdout

    def __enter__(self) -> Edge:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run(edge: Edge, announce=print) -> int:
    """Run `edge` until Ctrl-C or SIGTERM, then stop it. Returns varnishd's exit status (0 when
    stopped here). SIGINT is handled explicitly: a shell that starts this in the background leaves
    it ignored, and Python then raises no KeyboardInterrupt."""
    stopping = False

    def on_term(*_):
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, on_term) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        edge.start()
        backend = f"http://{edge.config.backend_host}:{edge.config.backend_port}/"
        announce(f"Varnish at {edge.url}/ in front of {backend} (VCL {edge.vcl_path}). Ctrl-C stops it.")
        while edge.running():
            time.sleep(0.5)
    except KeyboardInterrupt:
        stopping = True
    finally:
        edge.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    if stopping:
        return 0
    return edge.process.returncode if edge.process is not None else 1
