"""Rule set v1: every threshold behind trends and regression flags, versioned per clinic."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields
from typing import Any

RULES_VERSION = "v1"


def _threshold(default: int, low: int, high: int) -> Any:
    return field(default=default, metadata={"range": (low, high)})


@dataclass(frozen=True)
class RuleSet:
    """The thresholds of rule set v1 (DESIGN.md section 6); a clinic may override any of them."""

    # Needling soreness, 24-72 h (Martin-Pintado-Zugasti 2016/2018): the one definition of the
    # window, used when a score is stored, in trends, exports, FHIR and check-in planning.
    post_needling_hours: int = _threshold(72, 0, 336)
    # pain_rise: consecutive readings this far above the best of the last weeks (or baseline).
    rise_points: int = _threshold(2, 1, 10)
    rise_consecutive: int = _threshold(2, 1, 6)
    reference_weeks: int = _threshold(4, 1, 52)
    urgent_above_baseline_points: int = _threshold(1, 1, 10)
    # A 24 h recall: two replies on the same local day are one measurement, not a confirmation.
    pain_min_days_apart: int = _threshold(1, 0, 28)
    # pain_jump and pain_severe.
    jump_points: int = _threshold(3, 1, 10)
    severe_at: int = _threshold(8, 1, 10)
    # headache_rise: weekly readings; closer ones share most of their 7-day recall.
    headache_rise_days: int = _threshold(2, 1, 7)
    headache_consecutive: int = _threshold(2, 1, 6)
    headache_min_days_apart: int = _threshold(6, 0, 28)
    # non_response.
    non_response_expired_in_row: int = _threshold(2, 1, 10)
    # MCID categories (Farrar 2001, Salaffi 2004; IHS responder = 50% fewer headache days).
    mcid_much_points: int = _threshold(2, 1, 10)
    mcid_much_percent: int = _threshold(30, 1, 100)
    mcid_minimal_points: int = _threshold(1, 1, 10)
    mcid_minimal_percent: int = _threshold(15, 1, 100)
    mcid_worse_points: int = _threshold(2, 1, 10)
    headache_responder_percent: int = _threshold(50, 1, 100)
    headache_minimal_days: int = _threshold(1, 1, 7)
    headache_worse_days: int = _threshold(2, 1, 7)
    # Function and the secondary measures (issue 14; sources in the measure catalog).
    psfs_mid_points: int = _threshold(2, 1, 10)  # Abbott & Schmitt 2014 (MDC 2 on the mean)
    psfs_minimal_points: int = _threshold(1, 1, 10)  # 1.3 "small" rounds down
    interference_mcid_points: int = _threshold(2, 1, 10)  # PEG activity item, provisional
    interference_minimal_points: int = _threshold(1, 1, 10)
    sleep_mcid_points: int = _threshold(1, 1, 10)  # provisional
    sane_mcid_points: int = _threshold(15, 1, 100)
    # function_drop: the PSFS mean this far below the reference on consecutive readings.
    function_drop_consecutive: int = _threshold(2, 1, 6)
    # medication_overuse_risk: acute-medication days over the last weekly readings (ICHD-3:
    # 10 days a month for triptans/combinations, 15 for simple analgesics; the clinic chooses).
    medication_overuse_days: int = _threshold(10, 10, 15)
    medication_overuse_weeks: int = _threshold(4, 1, 8)
    # sane_low_return: SANE below 92.5 (in tenths, so whole scores compare exactly; Rhon).
    sane_return_below_tenths: int = _threshold(925, 1, 1000)

    def __post_init__(self) -> None:
        for setting in fields(self):
            _check(setting, getattr(self, setting.name))

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any]) -> "RuleSet":
        """The default rules with a clinic's overrides; unknown keys or bad values raise."""
        known = {setting.name for setting in fields(cls)}
        unknown = sorted(str(key) for key in overrides if key not in known)
        if unknown:
            raise ValueError(f"unknown rule setting: {', '.join(unknown)}")
        return cls(**overrides)

    @property
    def overrides(self) -> dict[str, int]:
        """The thresholds that differ from the defaults, by name."""
        return {
            setting.name: getattr(self, setting.name)
            for setting in fields(self)
            if getattr(self, setting.name) != setting.default
        }

    def thresholds(self) -> list[dict[str, Any]]:
        """Every threshold: its name, value, default and allowed range."""
        return [
            {
                "name": setting.name,
                "value": getattr(self, setting.name),
                "default": setting.default,
                "min": setting.metadata["range"][0],
                "max": setting.metadata["range"][1],
            }
            for setting in fields(self)
        ]

    @property
    def version(self) -> str:
        """'v1' for the defaults, else 'v1+' and a short hash of the thresholds that differ."""
        changed = self.overrides
        if not changed:
            return RULES_VERSION
        canonical = json.dumps(changed, sort_keys=True, separators=(",", ":"))
        return f"{RULES_VERSION}+{hashlib.sha256(canonical.encode()).hexdigest()[:8]}"


def _check(setting: Field, value: Any) -> None:
    low, high = setting.metadata["range"]
    # bool is an int subclass; a stray True must not become a threshold of 1.
    if type(value) is not int:
        raise ValueError(f"rule setting {setting.name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"rule setting {setting.name} must be {low}-{high}, got {value}")


DEFAULT_RULES = RuleSet()
