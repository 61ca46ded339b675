"""A real SMTP server (aiosmtpd) on loopback, for tests and the notifications benchmark.

It keeps every message it accepted (`messages`, parsed) and can refuse the next ones with a
reply code (`refuse_next(2, 451)`). Standalone: python -m tests.smtp_server --port N prints
its port and, on SIGTERM, a JSON line with the Message-IDs it accepted (for the benchmark).
"""

import argparse
import json
import signal
import socket
import sys
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

PORTS = range(5180, 5200)  # this worktree's ports


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_DATA(self, _smtp, _session, envelope) -> str:
        with self.server.lock:
            if self.server.refusals:
                return self.server.refusals.pop(0)
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.server.messages.append(message)
        return "250 OK"


class SmtpServer:
    """aiosmtpd on 127.0.0.1, on a free port of this worktree's range."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.refusals: list[str] = []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def refuse_next(self, n: int, code: int = 451, text: str = "Try again later") -> None:
        """Answer the next `n` messages' DATA with this reply."""
        with self.lock:
            self.refusals += [f"{code} {text}"] * n

    def config(self) -> dict:
        """App settings that send through this server."""
        return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}

    def environ(self) -> dict[str, str]:
        """Environment for a PainLine process that sends through this server."""
        return {key: str(value) for key, value in self.config().items()}

    def message_ids(self) -> list[str]:
        """The Message-ID of each accepted message, in order."""
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]


def free_port() -> int:
    """A port of this worktree's range that nothing listens on."""
    for port in PORTS:
        with socket.socket() as probe:
            # As the server will: a port whose old connections linger in TIME_WAIT is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with SmtpServer(args.port) as server:
        print(server.port, flush=True)
        stopped.wait()
        json.dump({"message_ids": server.message_ids()}, sys.stdout)
        print(flush=True)


if __name__ == "__main__":
    main()
