"""Finding 1, 5, 6 of the hardening campaign: a config that loads is a config that alerts.

URLs are checked for scheme, host and port when the file loads (the error names the key and the
entry, never the URL); every number is finite and bounded; a hostile file ends promptly.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from live_ops.config import load_config
from live_ops.errors import ConfigError

TOKEN = "T0PSECRET"


@pytest.mark.parametrize(("url", "problem"), [
    (f"http://127.0.0.1:99999/hook/{TOKEN}", "port out of range"),
    (f"http://[::1/hook/{TOKEN}", "broken IPv6"),
    (f"http:///hook/{TOKEN}", "has no host"),
    (f"ftp://example.com/{TOKEN}", "http(s) URL"),
    (f"http://example.com:abc/{TOKEN}", "port is not a number"),
])
def test_webhook_url_that_cannot_be_built_fails_validation_naming_key_and_entry(write_config, url, problem) -> None:
    path = write_config(replace={"\nwebhook_urls = []": f'\nwebhook_urls = ["https://ok.example/x", "{url}"]'})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "live_alerts.webhook_urls" in message and "entry 1" in message and problem in message
    assert TOKEN not in message and "/hook/" not in message


def test_apprise_url_with_bad_port_fails_validation_without_echo(write_config) -> None:
    path = write_config(replace={"apprise_urls = []": f'apprise_urls = ["json://127.0.0.1:70000/{TOKEN}"]'})
    with pytest.raises(ConfigError, match=r"live_alerts\.apprise_urls: entry 0 is not a valid URL") as info:
        load_config(path)
    assert TOKEN not in str(info.value)


def test_apprise_urls_accept_token_hosts_and_env_entries(write_config) -> None:
    path = write_config(replace={"apprise_urls = []":
                                 'apprise_urls = ["tgram://123456:ABCdef/-100200", "env:LIVE_OPS_PAGER"]'})
    assert len(load_config(path).live_alerts.apprise_urls) == 2


@pytest.mark.parametrize(("old", "new", "key"), [
    ("repeat_after_minutes = 60", "repeat_after_minutes = inf", "live_alerts.repeat_after_minutes"),
    ("max_total_exposure_notional = 20000.0", "max_total_exposure_notional = inf",
     "live_risk.max_total_exposure_notional"),
    ("max_daily_loss_abs = 500.0", "max_daily_loss_abs = nan", "live_risk.max_daily_loss_abs"),
    ("cash = 10000.0", "cash = 1e300", "paper.cash"),
    ("keep_days = 90", "keep_days = 99999999999", "reports.keep_days"),
    ("retries = 2", "retries = 10", "live_alerts.retries"),
    ("timeout_seconds = 3.0", "timeout_seconds = 60", "live_alerts.timeout_seconds"),
])
def test_infinite_nan_or_huge_number_is_refused_naming_the_key(write_config, old, new, key) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(write_config(replace={old: new}))


def test_paper_position_size_nan_is_refused(write_config) -> None:
    path = write_config(replace={"size = 0.05": "size = nan"})
    with pytest.raises(ConfigError, match=r"paper\.positions\.0\.size: Input should be a finite number"):
        load_config(path)


def test_deeply_nested_toml_is_one_line_error_not_recursion_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nested deeper") as info:
        load_config(path)
    assert "\n" not in str(info.value)


def test_moderately_nested_toml_is_refused_by_depth(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 40 + "]" * 40 + "\n")
    with pytest.raises(ConfigError, match="nested deeper than 16 levels"):
        load_config(path)


def test_config_from_dev_zero_ends_promptly() -> None:
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"/dev/zero: config file is larger than 1 MiB"):
        load_config("/dev/zero")
    assert time.monotonic() - started < 2


def test_config_over_one_mib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * (1 << 20) + "\n")
    with pytest.raises(ConfigError, match="larger than 1 MiB"):
        load_config(path)


def test_api_base_url_with_credentials_is_never_echoed(write_config) -> None:
    path = write_config(replace={'api_base_url = ""': f'api_base_url = "http://ops:{TOKEN}@127.0.0.1:99999"'})
    with pytest.raises(ConfigError, match=r"exchange\.api_base_url: is not a valid URL") as info:
        load_config(path)
    assert TOKEN not in str(info.value)
