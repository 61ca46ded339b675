"""Security headers on every response (API, docs and dashboard pages alike).

Nothing dynamic is cached: API answers carry patient data or tokens and dashboard pages show
patients, so `no-store` is the default and only static files (which set their own caching)
are exempt. The CSP allows same-origin scripts and styles only: no inline script, no framing.
"""

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def register_headers(app: Flask) -> None:
    """Add the headers after every request; HSTS only when the public origin is HTTPS."""
    headers = dict(HEADERS)
    if app.config["PUBLIC_BASE_URL"].startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if not _is_static_file():
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_static_file() -> bool:
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")
