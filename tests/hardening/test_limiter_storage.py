"""Outside development, per-process memory:// rate limits are refused with what to set."""

import subprocess
import sys
from pathlib import Path

import pytest

from server.config import ConfigError, load_config

PRODUCTION = {"SECRET_KEY": "k"}  # PAINLINE_ENV defaults to production


def test_production_refuses_memory_storage_naming_what_to_set():
    with pytest.raises(ConfigError) as refused:
        load_config(PRODUCTION)
    message = str(refused.value)
    for setting in ("RATELIMIT_STORAGE_URI", "redis://", "RATELIMIT_SINGLE_PROCESS=1",
                    "PAINLINE_ENV=development"):
        assert setting in message


@pytest.mark.parametrize("allowed", [
    {"RATELIMIT_STORAGE_URI": "redis://redis:6379/0"},
    {"RATELIMIT_SINGLE_PROCESS": "1"},
    {"PAINLINE_ENV": "development"},
])
def test_redis_or_an_explicit_setting_starts(allowed):
    assert load_config(PRODUCTION | allowed)["SECRET_KEY"] == "k"


def test_a_typo_in_the_environment_name_is_refused():
    with pytest.raises(ConfigError, match="PAINLINE_ENV='prod' is not one of"):
        load_config(PRODUCTION | {"PAINLINE_ENV": "prod"})


def test_gunicorn_style_start_refuses_with_one_line():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "k"})
    assert result.returncode == 1
    assert result.stderr.startswith("PainLine cannot start: RATELIMIT_STORAGE_URI=memory://")
