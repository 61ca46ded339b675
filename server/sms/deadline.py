"""A total deadline per HTTP call: connect, request and the whole response, however it trickles.

requests' timeouts bound each socket operation, not the call: a server that sends one byte a
second never trips them. `DeadlineAdapter` remembers which pooled connection each thread's call
uses; a timer shuts that socket down when the call's deadline passes, which ends any blocked
read at once. One adapter (one bounded connection pool) serves every sending thread.
"""

import socket
import threading
from contextlib import contextmanager, suppress

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


class DeadlineExceeded(Exception):
    """The call was cut at its deadline; the server may or may not have acted on it."""


class _Call:
    """One call's deadline: the socket it is using, shut down when the timer fires."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.cut = seconds, False
        self._conn, self._sock, self._lock = None, None, threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def using(self, conn, sock) -> None:
        """The call's connection (and its socket, once connected)."""
        with self._lock:
            self._conn, self._sock = conn, sock
            if self.cut:
                _shut(sock)

    def released(self, conn) -> None:
        with self._lock:
            if self._conn is conn:  # back in the pool: another call's now, never cut by this one
                self._conn = self._sock = None

    def _expire(self) -> None:
        with self._lock:
            self.cut = True
            _shut(self._sock)


def _shut(sock) -> None:
    if sock is not None:
        with suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv(); close() alone would not


@contextmanager
def deadline(seconds: float):
    """Within the block, this thread's HTTP calls through a DeadlineAdapter end by `seconds`.

    Raises DeadlineExceeded when the call failed because it was cut.
    """
    call = _Call(seconds)
    _current.call = call
    call._timer.start()
    try:
        yield call
    except Exception as error:
        if call.cut:
            raise DeadlineExceeded(f"no complete answer within {seconds:g} s") from error
        raise
    finally:
        call._timer.cancel()
        _current.call = None


def _current_call() -> _Call | None:
    return getattr(_current, "call", None)


class _WatchedConnection:
    """A connection that hands its socket to the thread's current call once connected
    (http.client may drop its own reference while the response is still being read)."""

    def connect(self) -> None:
        super().connect()
        if (call := _current_call()) is not None:
            call.using(self, self.sock)


class _HTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _Watched:
    """A connection pool that tells the thread's current call which connection it uses."""

    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        if (call := _current_call()) is not None:
            call.using(conn, conn.sock)  # None until connected: connect() tells it then
        return conn

    def _put_conn(self, conn) -> None:
        if (call := _current_call()) is not None:
            call.released(conn)
        super()._put_conn(conn)


class _HTTPPool(_Watched, HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_Watched, HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter with watched pools of at most `pool_size` connections, reused."""

    def __init__(self, pool_size: int) -> None:
        super().__init__(pool_connections=1, pool_maxsize=pool_size, pool_block=True)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
