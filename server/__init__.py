"""PainLine: patient-reported outcomes by SMS and app for a dry-needling clinic."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from server.config import load_config
from server.headers import register_headers
from server.logs import configure_logging, install_phone_masking
from server.request_ids import register_request_ids


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, or from `config` (environment-style keys) in tests."""
    app = Flask(__name__, instance_path=None, instance_relative_config=True)
    app.config.update(load_config(config, instance_path=app.instance_path))
    if config is not None:
        app.config.update({k: v for k, v in config.items() if k not in app.config})
    app.config.update(api_settings())
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    install_phone_masking()
    configure_logging(app.config["LOG_FORMAT"])
    register_extensions(app)
    register_blueprints(app)
    register_headers(app)
    register_request_ids(app)
    register_commands(app)
    start_scheduler(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client address and scheme from them."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def api_settings() -> dict[str, Any]:
    """flask-smorest and SQLAlchemy settings that are fixed, not configured."""
    return {
        "API_TITLE": "PainLine",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/static/",  # vendored: server/api/docs.py
        "RATELIMIT_HEADERS_ENABLED": True,
    }


def engine_options(database_uri: str) -> dict[str, Any]:
    """A connection the database dropped (a restart) is replaced before use; on PostgreSQL a
    connection attempt gives up after CONNECT_TIMEOUT s, so an unreachable database is a 503
    within seconds, not a request hung for the operating system's TCP timeout."""
    # hide_parameters: a failed statement's error (and so the log) never shows patient data.
    options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    if database_uri.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    return options


CONNECT_TIMEOUT = 5  # seconds


def register_extensions(app: Flask) -> None:
    from server import clock
    from server.api.bodies import register_body_checks
    from server.extensions import api, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    api.init_app(app, spec_kwargs=spec_kwargs())
    limiter.init_app(app)
    register_body_checks(app)
    app.extensions["clock"] = app.config.get("CLOCK") or clock.system_now
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        with app.app_context():
            _enable_sqlite_foreign_keys(db.engine)


def spec_kwargs() -> dict[str, Any]:
    from server.api.contract import ContractPlugin

    return {
        "extra_plugins": [ContractPlugin()],
        "components": {
            "securitySchemes": {
                "staffToken": {"type": "http", "scheme": "bearer"},
                "patientToken": {"type": "http", "scheme": "bearer"},
            }
        },
    }


def _enable_sqlite_foreign_keys(engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def register_blueprints(app: Flask) -> None:
    from server.api import register_api

    register_api(app)
    from server.web import register_web

    register_web(app)


def start_scheduler(app: Flask) -> None:
    from server.jobs.scheduler import start_embedded

    start_embedded(app)  # only with SCHEDULER=embedded, only in the serving process


def register_commands(app: Flask) -> None:
    from server.cli import register_cli

    register_cli(app)
