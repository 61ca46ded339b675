"""A fake Twilio REST API (the Messages resource) on loopback, for tests and benchmarks.

In a test:  with FakeTwilio() as fake: build_gateway("twilio", **fake.gateway_settings())
Standalone: python -m tests.fake_twilio --port 8999   (prints its URL; GET /_fake/messages
returns what it accepted, so another process can count). Deliberate simplifications: messages
stay "queued" ("accepted" for a Messaging Service) and the DateSent filters, date-granular as
Twilio documents them, apply to date_created.
"""

import argparse
import json
import operator
import re
import threading
import uuid
from collections import deque
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlencode

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-auth-token"
MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_ESCAPED = set("^{}\\[~]|€\f")
ERROR_MESSAGES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "An internal server error has occurred",
    21211: "The 'To' number is not a valid phone number.",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
}


def segments(body: str) -> int:
    """Segments as Twilio bills them: GSM-7 160 single / 153 each, else UCS-2 70 / 67 each."""
    if set(body) <= GSM7 | GSM7_ESCAPED:
        units, single, multi = len(body) + sum(ch in GSM7_ESCAPED for ch in body), 160, 153
    else:
        units, single, multi = len(body.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else (units + multi - 1) // multi


def error_body(status: int, code: int | None, message: str | None = None) -> dict:
    """An error body shaped like Twilio's (no "code" key when there is no Twilio code)."""
    body = {"message": message or ERROR_MESSAGES.get(code, "Error"), "status": status}
    if code is not None:
        body |= {"code": code, "more_info": f"https://www.twilio.com/docs/errors/{code}"}
    return body


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args) -> None:  # hundreds of requests a second: no access log
        pass


class FakeTwilio:
    """A threaded fake of Twilio's Messages API with programmable failures and delays."""

    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.url = ""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._accepted: list[tuple[dict, dict]] = []  # (posted form, message resource)
        self._attempts: list[dict] = []
        self._failures: dict[str, deque] = {"create": deque(), "list": deque()}
        self._failing_numbers: dict[str, tuple[int, int | None]] = {}
        self._delays: deque[float] = deque()
        self._quirks: deque[str] = deque()  # how the next accepted creates are answered
        self._server = None
        self._thread: threading.Thread | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> "FakeTwilio":
        """Bind (port 0: any free port) and serve from a background thread."""
        self._stopping.clear()
        self._server = make_server(
            host, port, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self.url = f"http://{host}:{self._server.server_port}"
        # A short poll interval keeps stop(), and so each test's teardown, quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release delayed requests, stop serving and close the socket."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeTwilio":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def gateway_settings(self) -> dict:
        """Keyword arguments for build_gateway("twilio", ...) pointing at this fake."""
        return {"account_sid": self.account_sid, "auth_token": self.auth_token, "api_url": self.url}

    def environ(self) -> dict[str, str]:
        """Environment for a PainLine process (e.g. a benchmark's dispatcher) using this fake."""
        return {
            "SMS_BACKEND": "twilio",
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_API_URL": self.url,
        }

    def fail_next(
        self, n: int, status: int = 429, code: int | None = 20429, kind: str = "create"
    ) -> None:
        """Answer the next `n` creates (kind="create") or list reads (kind="list") with an error."""
        with self._lock:
            self._failures[kind].extend([(status, code)] * n)

    def fail_for(self, to_number: str, status: int = 400, code: int | None = 21610) -> None:
        """Refuse every message to `to_number` with this error from now on."""
        with self._lock:
            self._failing_numbers[to_number] = (status, code)

    def delay_next(self, seconds: float, n: int = 1) -> None:
        """Hold the response to the next `n` requests; a create is still accepted first."""
        with self._lock:
            self._delays.extend([seconds] * n)

    def trickle_next(self, n: int = 1) -> None:
        """Accept the next `n` creates, then send each answer one byte a second."""
        with self._lock:
            self._quirks.extend(["trickle"] * n)

    def answer_empty_next(self, n: int = 1) -> None:
        """Accept the next `n` creates, then answer 201 with an empty body (no Message SID)."""
        with self._lock:
            self._quirks.extend(["empty"] * n)

    @property
    def messages(self) -> list[dict]:
        """Form fields of every accepted message, oldest first."""
        with self._lock:
            return [dict(form) for form, _ in self._accepted]

    @property
    def attempts(self) -> list[dict]:
        """Form fields of every create request that passed authentication, refused or not."""
        with self._lock:
            return [dict(form) for form in self._attempts]

    def count_by(self, to: str) -> int:
        """How many messages to `to` were accepted."""
        with self._lock:
            return sum(form.get("To") == to for form, _ in self._accepted)

    @Request.application
    def _wsgi(self, request: Request) -> Response:
        with self._lock:
            delay = self._delays.popleft() if self._delays else 0.0
        response = self._route(request)
        if delay:
            self._stopping.wait(delay)
        return response

    def _route(self, request: Request) -> Response:
        if request.path == "/_fake/messages":
            received = self.messages
            return _json({"messages": received, "count": len(received)})
        match = MESSAGES_PATH.match(request.path)
        if match is None:
            return _json(error_body(404, 20404), 404)
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
            return _json(error_body(401, 20003), 401)
        if match["account"] != self.account_sid:
            return _json(error_body(404, 20404), 404)
        if request.method == "POST":
            return self._create(request.form.to_dict())
        return self._list(request.args.to_dict())

    def _create(self, form: dict) -> Response:
        with self._lock:
            self._attempts.append(form)
            refusal = self._refusal(form)
            if refusal is None:
                resource = self._resource(form)
                self._accepted.append((form, resource))
            quirk = self._quirks.popleft() if refusal is None and self._quirks else None
        if refusal is not None:
            return _json(error_body(*refusal), refusal[0])
        if quirk == "empty":
            return Response(b"", status=201, mimetype="application/json")
        if quirk == "trickle":
            return self._trickled(json.dumps(resource).encode())
        return _json(resource, 201)

    def _trickled(self, body: bytes) -> Response:
        """A 201 whose body arrives one byte a second (until the client hangs up or we stop)."""

        def drip():
            for index in range(len(body)):
                yield body[index : index + 1]
                if self._stopping.wait(1.0):
                    return

        headers = {"Content-Length": str(len(body))}
        return Response(drip(), 201, headers, mimetype="application/json", direct_passthrough=True)

    def _refusal(self, form: dict) -> tuple[int, int | None] | None:
        """The error this create gets: scheduled failures, then refused numbers, then validation."""
        if self._failures["create"]:
            return self._failures["create"].popleft()
        if form.get("To") in self._failing_numbers:
            return self._failing_numbers[form["To"]]
        return _validate(form)

    def _resource(self, form: dict) -> dict:
        sid, now = "SM" + uuid.uuid4().hex, format_datetime(datetime.now(UTC), usegmt=True)
        service = form.get("MessagingServiceSid")
        base = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid, "api_version": "2010-04-01", "body": form["Body"],
            "date_created": now, "date_updated": now, "date_sent": None,
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": form.get("From"), "messaging_service_sid": service, "to": form["To"],
            "num_media": "0", "num_segments": "0" if service else str(segments(form["Body"])),
            "price": None, "price_unit": "USD", "sid": sid,
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": f"{base}/Media.json"}, "uri": f"{base}.json",
        }  # fmt: skip

    def _list(self, query: dict) -> Response:
        size, page = int(query.pop("PageSize", 50)), int(query.pop("Page", 0))
        query.pop("PageToken", None)
        with self._lock:
            if self._failures["list"]:
                status, code = self._failures["list"].popleft()
                return _json(error_body(status, code), status)
            found = [res for _, res in reversed(self._accepted) if _matches(res, query)]

        def page_uri(number: int) -> str:
            params = urlencode({**query, "PageSize": size, "Page": number})
            return f"/2010-04-01/Accounts/{self.account_sid}/Messages.json?{params}"

        more = len(found) > (page + 1) * size
        return _json({
            "messages": found[page * size : (page + 1) * size],
            "first_page_uri": page_uri(0), "next_page_uri": page_uri(page + 1) if more else None,
            "previous_page_uri": page_uri(page - 1) if page else None, "uri": page_uri(page),
            "page": page, "page_size": size, "start": page * size, "end": (page + 1) * size - 1,
        })  # fmt: skip


def _validate(form: dict) -> tuple[int, int] | None:
    if not form.get("To"):
        return 400, 21604
    if not E164.match(form["To"]):
        return 400, 21211
    if not (form.get("From") or form.get("MessagingServiceSid")):
        return 400, 21603
    return (400, 21602) if not form.get("Body") else None


def _matches(resource: dict, query: dict) -> bool:
    if query.get("To", resource["to"]) != resource["to"]:
        return False
    if query.get("From", resource["from"]) != resource["from"]:
        return False
    created = _day(resource["date_created"])
    comparisons = {"DateSent>": operator.ge, "DateSent<": operator.le, "DateSent": operator.eq}
    return all(
        compare(created, _day(query[name]))
        for name, compare in comparisons.items()
        if query.get(name)
    )


def _day(value: str) -> date:
    """The GMT day of an RFC 2822 timestamp or of a DateSent filter ("2025-01-31[T...Z]")."""
    if "," in value:
        return parsedate_to_datetime(value).date()
    return date.fromisoformat(value[:10])


def _json(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def main() -> None:
    """Run the fake standalone until interrupted, printing its URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--account-sid", default=ACCOUNT_SID)
    parser.add_argument("--auth-token", default=AUTH_TOKEN)
    args = parser.parse_args()
    fake = FakeTwilio(args.account_sid, args.auth_token).start(args.host, args.port)
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
