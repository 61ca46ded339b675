"""Chart and sparkline data, driven by each measure's metadata so a new measure needs no template.

`measure_meta` is the one place the dashboard learns a measure's label, range, worse direction
and MCID band; it reads the measure catalog (server/measures) and the clinic's rule set.
"""

from datetime import datetime, timedelta
from math import ceil

from server.enums import Language, Measure
from server.measures import CATALOG, spec
from server.outcomes import RuleSet, TrendSummary


def _labels(entry) -> tuple[str, str]:
    """The chart's heading (label, recall and any caution) and its short name."""
    label = entry.label[Language.EN]
    heading = f"{label}, {entry.recall}" + (f". {entry.note}" if entry.note else "")
    return heading, label.split(" (")[0]


LABELS = {measure: _labels(entry) for measure, entry in CATALOG.items()}


def measure_meta(measure: Measure, rules: RuleSet) -> dict:
    """Label, short label, range, worse direction and MCID (points better, worse) of a measure."""
    entry = spec(measure)
    label, short = LABELS[Measure(measure)]
    grading = entry.mcid
    mcid = None
    if grading is not None:
        mcid = {
            "better": _setting(rules, grading.much_points),
            "better_percent": _setting(rules, grading.much_percent),
            "worse": _setting(rules, grading.worse_points),
        }
    return {
        "measure": str(measure),
        "label": label,
        "short": short,
        "min": entry.low,
        "max": entry.high,
        "worse": "up" if entry.lower_is_better else "down",
        "mcid": mcid,
    }


def mcid_band(meta: dict, baseline: float) -> tuple[float, float] | None:
    """The band around the baseline inside which a change is not clinically important."""
    mcid = meta["mcid"]
    if mcid is None:
        return None
    better = mcid["better"]
    if better is None:  # headache days: graded by percent alone (a responder has 50% fewer)
        better = baseline * (mcid["better_percent"] or 0) / 100
    worse = mcid["worse"] or 0
    below, above = (better, worse) if meta["worse"] == "up" else (worse, better)
    return max(meta["min"], baseline - below), min(meta["max"], baseline + above)


def _setting(rules: RuleSet, name: str | None) -> int | None:
    return getattr(rules, name) if name else None


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
        "band": _band(meta, base),
    }


def _band(meta: dict, base: float | None) -> list[float] | None:
    band = mcid_band(meta, base) if base is not None else None
    return list(band) if band else None


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
