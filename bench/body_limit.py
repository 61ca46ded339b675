"""A huge unauthenticated body against one gunicorn worker: its memory before and after.

    .venv/bin/python bench/body_limit.py [--mb 200] [--port 5140] [--root PATH]

--root serves another checkout (e.g. the code before the body limit) with this venv. SQLite in
a temporary folder: the body is refused (or read) before any query. Prints the worker's VmRSS
before and after, its peak (VmHWM), the answers' statuses, and one JSON line.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATH = "/api/v1/patient-auth/start"
CHUNK = b"1" * (1 << 20)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status if line.startswith(("VmRSS", "VmHWM")))
    return {key: int(value.split()[0]) for key, value in fields.items()}


def sample_peak(pid: int, stop: threading.Event, peak: list[int]) -> None:
    """Keep the highest VmRSS seen while the huge body is in flight."""
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], memory_kb(pid)["VmRSS"])
        except (OSError, KeyError):
            return
        time.sleep(0.01)


def post_huge(port: int, megabytes: int) -> int | str:
    """Stream a JSON body of `megabytes` MB; the status, or how the connection ended."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=120)
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {megabytes * len(CHUNK) + 14}\r\n\r\n")
    try:
        conn.sendall(head.encode() + b'{"phone": "')
        for _ in range(megabytes):
            conn.sendall(CHUNK)
        conn.sendall(b'"}')
    except OSError:
        pass  # refused early: the server closed its end while we were still sending
    try:
        return int(conn.recv(64).split()[1])
    except (OSError, IndexError, ValueError) as error:
        return f"connection ended: {error!r}"
    finally:
        conn.close()


def post_small(port: int, body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", PATH, body, {"Content-Type": "application/json"})
    status = conn.getresponse().status
    conn.close()
    return status


def serve(root: Path, port: int, folder: str) -> subprocess.Popen:
    env = os.environ | {"SECRET_KEY": "bench", "PAINLINE_ENV": "development",
                        "DATABASE_URL": f"sqlite:///{folder}/painline.db",
                        "PATIENT_CODE_MIN_SECONDS": "0.01"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    subprocess.run(flask, cwd=root, env=env, check=True, capture_output=True)
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1",
                "--timeout", "120", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    return subprocess.Popen(gunicorn, cwd=root, env=env, stderr=subprocess.DEVNULL)


def worker_of(server: subprocess.Popen, port: int) -> int:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
            return int(children.split()[0])
        except (OSError, IndexError, ValueError):
            time.sleep(0.1)
    sys.exit(f"gunicorn on port {port} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--port", type=int, default=5140)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = serve(args.root, args.port, folder)
        try:
            worker = worker_of(server, args.port)
            warm = post_small(args.port, b'{"phone": "+16175550123"}')
            before, stop, peak = memory_kb(worker), threading.Event(), [0]
            sampler = threading.Thread(target=sample_peak, args=(worker, stop, peak))
            sampler.start()
            huge = post_huge(args.port, args.mb)
            stop.set()
            sampler.join()
            time.sleep(1)
            after = memory_kb(worker) if Path(f"/proc/{worker}").exists() else {}
            deep = post_small(args.port, b"[" * 100_000 + b"]" * 100_000)
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {"root": str(args.root), "mb": args.mb, "warm_status": warm, "huge_status": huge,
              "deep_status": deep, "rss_before_kb": before["VmRSS"], "rss_peak_kb": peak[0],
              "rss_after_kb": after.get("VmRSS"), "worker_survived": bool(after)}
    after_text = f"{after['VmRSS'] / 1024:.1f} MB after" if after else "the worker died"
    print(f"{args.mb} MB body -> {huge}; worker RSS {before['VmRSS'] / 1024:.1f} MB before, "
          f"{peak[0] / 1024:.1f} MB at most during the request, {after_text}; "
          f"deep nesting -> {deep}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
