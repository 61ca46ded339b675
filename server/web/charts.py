"""Chart and sparkline data, driven by each measure's metadata so a new measure needs no template.

`measure_meta` is the one place the dashboard learns a measure's label, range, worse direction
and MCID band; it reads the measure enum and the clinic's rule set (the measure catalog).
"""

from datetime import datetime, timedelta
from math import ceil

from server.enums import Measure
from server.outcomes import RuleSet, TrendSummary

LABELS = {
    Measure.PAIN: ("Pain (0-10, average over 24 h)", "Pain"),
    Measure.HEADACHE_DAYS: ("Headache days in the last 7 days (0-7)", "Headache days"),
}


def measure_meta(measure: Measure, rules: RuleSet) -> dict:
    """Label, short label, range, worse direction and MCID (points below, above) of a measure."""
    label, short = LABELS.get(measure, (str(measure), str(measure)))
    if measure == Measure.HEADACHE_DAYS:
        mcid = {
            "better_percent": rules.headache_responder_percent,
            "worse": rules.headache_worse_days,
        }
    else:
        mcid = {"better": rules.mcid_much_points, "worse": rules.mcid_worse_points}
    return {
        "measure": str(measure),
        "label": label,
        "short": short,
        "min": 0,
        "max": measure.max_value,
        "worse": "up",
        "mcid": mcid,
    }


def mcid_band(meta: dict, baseline: int) -> tuple[float, float]:
    """The band around the baseline inside which a change is not clinically important."""
    mcid = meta["mcid"]
    if "better_percent" in mcid:
        lower = baseline - baseline * mcid["better_percent"] / 100
    else:
        lower = baseline - mcid["better"]
    return max(meta["min"], lower), min(meta["max"], baseline + mcid["worse"])


def chart_data(trends, rules: RuleSet, unsolicited: set[int]) -> list[dict]:
    """One chart per measure: readings by source, sessions, post-needling windows, baseline."""
    sessions = [s.occurred_at for s in trends.sessions]
    windows = [[_iso(t), _iso(t + timedelta(hours=rules.post_needling_hours))] for t in sessions]
    return [
        _measure_chart(summary, rules, unsolicited, sessions, windows)
        for summary in trends.measures
    ]


def _measure_chart(summary: TrendSummary, rules, unsolicited, sessions, windows) -> dict:
    meta = measure_meta(summary.measure, rules)
    base = summary.baseline.value if summary.baseline else None
    points = [
        {
            "id": r.score_id,
            "t": _iso(r.reported_at),
            "y": r.value,
            "source": str(r.source),
            "late": r.late,
            "unsolicited": r.score_id in unsolicited,
            "sore": r.in_post_needling_window,
        }
        for r in summary.series
    ]
    return {
        **meta,
        "points": points,
        "sessions": [_iso(t) for t in sessions],
        "windows": windows,
        "baseline": base,
        "band": list(mcid_band(meta, base)) if base is not None else None,
    }


def sparkline(points: list[tuple[datetime, int]], meta: dict, end: datetime, days: int) -> str:
    """SVG polyline points (100 x 24 box) for readings over the last `days`; worse is up."""
    start, span = end - timedelta(days=days), days * 86400
    high = meta["max"] - meta["min"] or 1
    coords = []
    for moment, value in points:
        x = 100 * (moment - start).total_seconds() / span
        share = (value - meta["min"]) / high
        y = 22 - 20 * (share if meta["worse"] == "up" else 1 - share)
        coords.append(f"{x:.1f},{y:.1f}")
    return " ".join(coords)


def percent(share: float | None) -> str:
    """A share as a whole percentage, or a dash."""
    return "—" if share is None else f"{ceil(share * 100 - 0.5)}%"


def _iso(moment: datetime) -> str:
    return moment.isoformat()
