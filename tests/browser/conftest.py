"""Browser tests: Playwright driving Debian's Chromium against the app served on a local port.

Fixtures for part 2 too: `live` (the served app), `page` (a fresh 1280 px tab that saves a
screenshot to screenshots/<test>.png after the test), `demo` (the seeded demo clinic),
`sign_in(page, email)` and `axe_violations(page)`.
"""

import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from server import create_app
from server.demo import seed as demo_clinic

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DEMO_PASSWORD = demo_clinic.DEMO_PASSWORD


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@pytest.fixture(scope="session")
def live(app):
    """The app (same database and clock as `app`) served over plain HTTP on 127.0.0.1."""
    # Port 0: the system picks a free port, so suites running side by side never collide.
    server = make_server("127.0.0.1", 0, None, threaded=True, request_handler=_QuietHandler)
    port = server.server_port
    server.app = create_app(
        {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret-key",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "CLOCK": app.extensions["clock"],
            "TESTING": True,
            "OVERVIEW_MAX_AGE_SECONDS": "0",  # the clock stands still between tests
            "PAINLINE_ENV": "development",
        }
    )
    served = server.app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.base_url = f"http://127.0.0.1:{port}"
    yield served
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live, db, request):
    """A fresh tab at 1280 x 900; its screenshot is saved after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live.base_url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def demo(db, clock):
    """The demo clinic `make run` seeds: 12 patients, their history and flags."""
    demo_clinic.seed(12, clock.now, echo=lambda _line: None)
    return demo_clinic


@pytest.fixture
def sign_in():
    def signing_in(tab, email=demo_clinic.DEMO_ADMIN, password=DEMO_PASSWORD):
        tab.goto("/sign-in")
        tab.get_by_label("Email").fill(email)
        tab.get_by_label("Password").fill(password)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_load_state()

    return signing_in


@pytest.fixture
def axe_violations():
    """Serious and critical WCAG 2.1 A/AA violations axe-core finds on the page, as text."""
    source = AXE.read_text()

    def check(tab) -> list[str]:
        tab.evaluate(source)  # DevTools evaluation: not subject to the page's CSP
        found = tab.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"""
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in found
            if v["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def chart_values():
    """The readings line of the page's first measure chart, once Chart.js has drawn it."""

    def values(tab) -> list[int]:
        chart = "Chart.getChart(document.querySelector('canvas[data-chart=\"0\"]'))"
        tab.wait_for_function(f"() => window.Chart && {chart}")
        return tab.evaluate(f"() => {chart}.data.datasets[0].data.map(p => p.y)")

    return values
