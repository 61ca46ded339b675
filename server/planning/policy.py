"""Check-in policy: which check-ins a clinic plans after a session or a discharge.

Stored per clinic as JSON (`to_mapping`) and read back or changed through the admin API
(`from_mapping`); every invalid setting raises a PolicyError naming the field.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.enums import Measure
from server.outcomes.rules import DEFAULT_RULES

SESSION = "session"
DISCHARGE = "discharge"
# Soreness lasts 24-72 h after needling (DESIGN.md section 1): earlier check-ins measure it, not
# the treatment's effect. The window is the rule set's; whole days, rounded up.
_SORE_HOURS = DEFAULT_RULES.post_needling_hours
MIN_SESSION_OFFSET_DAYS = math.ceil(_SORE_HOURS / 24)
MAX_OFFSET_DAYS = 366
# FCC healthcare exemption: at most 3 prompts a week; a clinic may ask for fewer, never more.
LEGAL_MAX_PROMPTS_PER_7_DAYS = 3
MAX_WINDOW_HOURS = 7 * 24
_KIND_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_KIND_KEYS = ("kind", "offset_days", "measures", "on")
_SETTINGS = ("window_hours", "reminder_after_hours", "max_prompts_per_7_days")


class PolicyError(ValueError):
    """An invalid policy setting; `field` names it, e.g. "kinds[1].offset_days"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PlannedKind:
    """One kind of check-in, `offset_days` local days after a session or a discharge."""

    kind: str
    offset_days: int
    measures: tuple[Measure, ...]
    on: str  # "session" | "discharge"


@dataclass(frozen=True)
class CheckInPolicy:
    """A clinic's check-in plan and the limits its prompts live within."""

    kinds: tuple[PlannedKind, ...]
    window_hours: int = 48
    reminder_after_hours: int = 4
    max_prompts_per_7_days: int = 3

    def __post_init__(self) -> None:
        names: set[str] = set()
        for index, kind in enumerate(self.kinds):
            where = f"kinds[{index}]"
            _check_kind(kind, where)
            if kind.kind in names:
                raise PolicyError(f"{where}.kind", f"duplicate kind name {kind.kind!r}")
            names.add(kind.kind)
        _check_settings(self)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "CheckInPolicy":
        """Build a policy from its stored or admin-API form; missing limits take the defaults."""
        if not isinstance(data, Mapping):
            raise PolicyError("policy", "must be an object")
        _reject_unknown(data, ("kinds", *_SETTINGS), "")
        kinds = _value(data, "kinds", "", list | tuple, "a list")
        settings = {
            key: _value(data, key, "", int, "a whole number") for key in _SETTINGS if key in data
        }
        return cls(
            kinds=tuple(_kind_from_mapping(item, f"kinds[{i}]") for i, item in enumerate(kinds)),
            **settings,
        )

    def to_mapping(self) -> dict[str, Any]:
        """The JSON-able form that from_mapping reads back."""
        kinds = [
            {
                "kind": k.kind,
                "offset_days": k.offset_days,
                "measures": [m.value for m in k.measures],
                "on": k.on,
            }
            for k in self.kinds
        ]
        return {"kinds": kinds, **{key: getattr(self, key) for key in _SETTINGS}}


def _kind_from_mapping(item: Any, where: str) -> PlannedKind:
    if not isinstance(item, Mapping):
        raise PolicyError(where, "must be an object")
    _reject_unknown(item, _KIND_KEYS, f"{where}.")
    measures = []
    for name in _value(item, "measures", f"{where}.", list | tuple, "a list"):
        try:
            measures.append(Measure(name))
        except ValueError:
            known = ", ".join(m.value for m in Measure)
            raise PolicyError(
                f"{where}.measures", f"unknown measure {name!r} (known: {known})"
            ) from None
    return PlannedKind(
        kind=_value(item, "kind", f"{where}.", str, "a string"),
        offset_days=_value(item, "offset_days", f"{where}.", int, "a whole number"),
        measures=tuple(measures),
        on=_value(item, "on", f"{where}.", str, "a string"),
    )


def _value(data: Mapping[str, Any], key: str, prefix: str, kind: Any, described: str) -> Any:
    if key not in data:
        raise PolicyError(f"{prefix}{key}", "is required")
    value = data[key]
    # bool is an int subclass: a stray true must not become an offset of 1 day.
    if isinstance(value, bool) or not isinstance(value, kind):
        raise PolicyError(f"{prefix}{key}", f"must be {described}, got {value!r}")
    return value


def _reject_unknown(data: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
    # A typo ("offset_day") would otherwise silently fall back to a default.
    for key in data:
        if key not in known:
            raise PolicyError(f"{prefix}{key}", "is not a policy setting")


def _check_kind(kind: PlannedKind, where: str) -> None:
    if not isinstance(kind.kind, str) or not _KIND_NAME.fullmatch(kind.kind):
        raise PolicyError(
            f"{where}.kind", "must be 1-32 lowercase letters, digits or _, from a letter"
        )
    if kind.on not in (SESSION, DISCHARGE):
        raise PolicyError(f"{where}.on", f'must be "{SESSION}" or "{DISCHARGE}", got {kind.on!r}')
    _check_offset(kind, f"{where}.offset_days")
    if not kind.measures or not all(isinstance(m, Measure) for m in kind.measures):
        raise PolicyError(f"{where}.measures", "must list at least one known measure")
    if len(set(kind.measures)) != len(kind.measures):
        raise PolicyError(f"{where}.measures", "lists a measure twice")


def _check_offset(kind: PlannedKind, field: str) -> None:
    offset = kind.offset_days
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise PolicyError(field, f"must be a whole number, got {offset!r}")
    if offset < 0:
        raise PolicyError(field, f"must not be negative, got {offset}")
    if offset > MAX_OFFSET_DAYS:
        raise PolicyError(field, f"must be at most {MAX_OFFSET_DAYS} days, got {offset}")
    if kind.on == SESSION and offset < MIN_SESSION_OFFSET_DAYS:
        raise PolicyError(
            field,
            f"must be at least {MIN_SESSION_OFFSET_DAYS} days after the session, got {offset}: "
            f"before {_SORE_HOURS} h a check-in measures post-needling soreness",
        )


def _check_settings(policy: CheckInPolicy) -> None:
    limits = {
        "window_hours": (1, MAX_WINDOW_HOURS),
        # A reminder must go out while the check-in can still be answered.
        "reminder_after_hours": (1, policy.window_hours - 1),
        "max_prompts_per_7_days": (1, LEGAL_MAX_PROMPTS_PER_7_DAYS),
    }
    for key, (low, high) in limits.items():
        value = getattr(policy, key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise PolicyError(key, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise PolicyError(key, f"must be {low}-{high}, got {value}")


_PAIN = (Measure.PAIN,)
_PAIN_AND_HEADACHE = (Measure.PAIN, Measure.HEADACHE_DAYS)
DEFAULT_POLICY = CheckInPolicy(
    kinds=(
        PlannedKind("day3", 3, _PAIN, SESSION),
        PlannedKind("day7", 7, _PAIN_AND_HEADACHE, SESSION),
        PlannedKind("followup_2w", 14, _PAIN_AND_HEADACHE, DISCHARGE),
        PlannedKind("followup_4w", 28, _PAIN_AND_HEADACHE, DISCHARGE),
        PlannedKind("followup_12w", 84, _PAIN_AND_HEADACHE, DISCHARGE),
    )
)
