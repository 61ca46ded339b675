"""How the dashboard words things: rules in plain words, ages, staff names, local times, and
the open urgent count every page shows."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from flask import g
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from server import clock
from server.enums import FlagRule, Language
from server.extensions import db
from server.models import Clinic, Staff
from server.services.flag_inbox import open_urgent_count
from server.web import bp
from server.web.charts import LABELS

RULE_WORDS = {
    FlagRule.PAIN_RISE: "Pain rising above the best or baseline",
    FlagRule.PAIN_JUMP: "Sudden jump in pain",
    FlagRule.PAIN_SEVERE: "Severe pain reported",
    FlagRule.HEADACHE_RISE: "Headache days back up",
    FlagRule.NON_RESPONSE: "Stopped answering check-ins",
    FlagRule.REPLY_REVIEW: "Reply needs a person to read it",
    FlagRule.PHONE_INVALID: "Phone number cannot receive texts",
}

LANGUAGE_NAMES = {Language.EN.value: "English", Language.ES.value: "Spanish"}


@cache
def zone_names() -> list[str]:
    """Every IANA zone name, sorted, for the searchable time-zone lists."""
    return sorted(available_timezones())


def staff_names(clinic_id: int) -> dict[int, str]:
    """The clinic's staff by id, for "acknowledged by" and the therapist filter."""
    rows = db.session.execute(select(Staff.id, Staff.name).where(Staff.clinic_id == clinic_id))
    return {row.id: row.name for row in rows}


@bp.app_template_global()
def urgent_open() -> int:
    """Open urgent flags of the signed-in staff member's clinic, for the navigation."""
    return open_urgent_count(g.staff.clinic_id) if "staff" in g else 0


@bp.app_template_global()
def form_token() -> str:
    """The session's CSRF token, signed once per request (pages repeat it in every form)."""
    if "form_token" not in g:
        g.form_token = generate_csrf()
    return g.form_token


@bp.app_template_filter("rule_words")
def rule_words(rule: str) -> str:
    """The flag rule in a therapist's words."""
    return RULE_WORDS.get(rule, str(rule).replace("_", " "))


@bp.app_template_filter("measure_words")
def measure_words(measures) -> str:
    """Measure codes as the short labels therapists read."""
    return ", ".join(LABELS.get(m, (m, str(m)))[1] for m in measures)


@bp.app_template_filter("age")
def age(moment: datetime | None) -> str:
    """How long ago, shortly: "45 min", "5 h", "3 d"."""
    if moment is None:
        return "never"
    minutes = int((clock.now() - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    return f"{minutes // 60} h" if minutes < 48 * 60 else f"{minutes // 1440} d"


@bp.app_template_filter("local")
def local(moment: datetime | None, pattern: str = "%d %b %Y %H:%M") -> str:
    """A UTC moment in the clinic's time zone, for display."""
    if moment is None:
        return ""
    return moment.astimezone(clinic_zone()).strftime(pattern)


@bp.app_template_filter("local_in")
def local_in(moment: datetime | None, zone_name: str, pattern: str = "%a %d %b %H:%M") -> str:
    """A UTC moment in another zone (the patient's), for their local send times."""
    return moment.astimezone(ZoneInfo(zone_name)).strftime(pattern) if moment else ""


def clinic_zone() -> ZoneInfo:
    """The signed-in staff member's clinic's time zone (UTC when nobody is signed in)."""
    if "clinic_zone" not in g:
        clinic = db.session.get(Clinic, g.staff.clinic_id) if "staff" in g else None
        g.clinic_zone = ZoneInfo(clinic.timezone if clinic else "UTC")
    return g.clinic_zone
