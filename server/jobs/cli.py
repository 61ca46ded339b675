"""`flask --app wsgi jobs run` and `flask --app wsgi jobs tick [--at ISO-8601]`."""

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from server.jobs.scheduler import run_forever
from server.jobs.tasks import describe, tick

jobs = AppGroup("jobs", help="The scheduler: prompts, reminders, expiry and the outbox.")


@jobs.command("run")
def run_command():
    """Run the scheduler until SIGTERM (several processes may run: claims are atomic)."""
    run_forever(current_app._get_current_object())


@jobs.command("tick")
@click.option(
    "--at", "at", default=None, help="An instant with its zone, e.g. 2026-12-01T15:00:00Z."
)
def tick_command(at):
    """Run every due job once, as of that instant (default: now)."""
    report = tick(_instant(at) if at else None)
    click.echo(f"checkins: {describe(report['checkins'])}")
    click.echo(f"outbox: {describe(report['outbox'])}")
    click.echo(f"alerts: {describe(report['alerts'])}")


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO-8601 instant", param_hint="--at"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter("give a zone, e.g. 2026-12-01T15:00:00Z", param_hint="--at")
    return moment
