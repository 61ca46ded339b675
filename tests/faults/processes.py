"""Real processes for fault tests: a TCP proxy to cut PostgreSQL off, gunicorn, `jobs run`.

Ports come from 5160-5179 (this branch's range); each helper stops only what it started.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PROXY_PORT, WEB_PORT = 5162, 5163


class TcpProxy:
    """Forwards 127.0.0.1:port to `upstream`; cut() drops every connection and refuses new ones
    (as a stopped or restarting PostgreSQL does) until restore(); hang() drops them and leaves
    new ones unanswered (a host gone from the network)."""

    def __init__(self, upstream: tuple[str, int], port: int = PROXY_PORT) -> None:
        self.upstream, self.port = upstream, port
        self.down, self.silent, self._closed = False, False, False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self._listener.settimeout(0.1)
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def cut(self) -> None:
        with self._lock:
            self.down = True
            for sock in self._sockets:
                _shut(sock)
            self._sockets.clear()

    def hang(self) -> None:
        self.cut()
        self.down, self.silent = False, True

    def restore(self) -> None:
        self.cut()  # and the unanswered ones
        self.down = self.silent = False

    def close(self) -> None:
        """Stop accepting (the port is free again when this returns) and drop every connection."""
        self._closed = True
        self._acceptor.join(timeout=5)
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if self.down:
                _shut(client)
                continue
            if self.silent:
                with self._lock:
                    self._sockets.add(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=2)
            except OSError:
                _shut(client)
                continue
            with self._lock:
                self._sockets.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    _shut(source)
    _shut(sink)


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with suppress(OSError):
        sock.close()


def through(database_uri: str, port: int = PROXY_PORT) -> str:
    """The same database URL with host and port replaced by the proxy's."""
    parts = urlsplit(database_uri)
    netloc = parts.netloc.rsplit("@", 1)
    auth = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{port}"))


def upstream_of(database_uri: str) -> tuple[str, int]:
    parts = urlsplit(database_uri)
    return parts.hostname or "127.0.0.1", parts.port or 5432


def environment(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "PUBLIC_BASE_URL": "https://painline.example",
        "PAINLINE_ENV": "development",  # rate limits in memory: no Redis needed here
        **extra,
    }


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path):
    """Run `command` with stderr and stdout to `log`; terminate it (only it) at the end."""
    with log.open("w") as output:
        started = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            yield started
        finally:
            started.terminate()
            try:
                started.wait(timeout=15)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait(timeout=5)


def gunicorn(env: dict[str, str], log: Path, workers: int = 2):
    """gunicorn serving the app on WEB_PORT (wait_until_up before use)."""
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               f"127.0.0.1:{WEB_PORT}", "--graceful-timeout", "5", "wsgi:app"]  # fmt: skip
    return process(command, env, log)


def jobs_run(env: dict[str, str], log: Path):
    return process([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"], env, log)


def wait_until_up(seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/healthz", timeout=1)
            return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not come up")
