"""A Redis server of the test's own (never the shared one), to stop and start at will."""

import shutil
import subprocess
import time

import redis

PORT = 5161


class ThrowawayRedis:
    """redis-server on 127.0.0.1:PORT without persistence, owned by this process."""

    def __init__(self, port: int = PORT) -> None:
        self.port, self.url = port, f"redis://127.0.0.1:{port}/0"
        self._process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def keys(self) -> list[bytes]:
        return redis.Redis(port=self.port, socket_connect_timeout=0.5).keys("*")
