"""`flask --app wsgi ...` commands: clinics, staff, demo data, the figures backfill."""

import click
from flask import Flask
from flask.cli import with_appcontext

from server import clock
from server.enums import Role
from server.errors import DomainError
from server.extensions import db
from server.jobs.cli import jobs
from server.services import clinics, rule_changes


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_clinic)
    app.cli.add_command(create_staff)
    app.cli.add_command(seed_demo)
    app.cli.add_command(jobs)
    app.cli.add_command(refresh_figures)


@click.command("create-clinic")
@click.option("--name", required=True, help="Shown first in every SMS (max 30 characters).")
@click.option("--help-phone", required=True)
@click.option("--timezone", "tz", default="America/New_York", show_default=True)
@click.option("--sender", default=None, help="Twilio number (E.164) or Messaging Service SID.")
@with_appcontext
def create_clinic(name, help_phone, tz, sender):
    """Create a clinic and print its id."""
    try:
        clinic = clinics.create_clinic(name, help_phone, tz, sender, clock.now())
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    click.echo(f"clinic {clinic.id} created: {clinic.name}")


@click.command("create-staff")
@click.option("--clinic-id", type=int, required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default="therapist")
@click.password_option()
@with_appcontext
def create_staff(clinic_id, email, name, role, password):
    """Create a staff member who can sign in."""
    try:
        staff = clinics.create_staff(clinic_id, email, name, Role(role), password, clock.now())
        db.session.commit()
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    click.echo(f"staff {staff.id} created: {staff.email} ({staff.role})")


@click.command("seed-demo")
@click.option("--patients", "patient_count", type=int, default=12, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when a clinic already exists.")
@click.option(
    "--weeks",
    type=click.IntRange(1, 104),
    default=None,
    help="Weekly sessions for this many weeks per patient (16 gives about 50 scores each).",
)
@click.option("--programs", is_flag=True, help="Add five patients in condition programs.")
@with_appcontext
def seed_demo(patient_count, if_empty, weeks, programs):
    """Create the demo clinic with therapists, patients, sessions and scores."""
    from server.demo import seed as demo

    now = clock.now()
    demo.seed(
        patient_count, now, if_empty=if_empty, echo=click.echo, weeks=weeks, programs=programs
    )


@click.command("refresh-figures")
@with_appcontext
def refresh_figures():
    """Recompute every patient's stored trend figures (run once after upgrading past 0004)."""
    clinics_done = rule_changes.refresh_all_figures(clock.now())
    click.echo(f"figures refreshed in {clinics_done} clinic(s)")
