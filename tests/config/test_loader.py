"""Config loading: every failure is one line naming the file, the key and the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from live_ops.config import load_config, redact_url, resolve_url_entries
from live_ops.errors import ConfigError
from tests.conftest import EXAMPLE_CONFIG


def test_example_config_loads_in_paper_mode() -> None:
    config = load_config(EXAMPLE_CONFIG)
    assert config.mode == "paper"
    assert config.quote_currency == "EUR"
    assert {p.symbol for p in config.paper.positions} <= set(config.paper.prices)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: config file not found"):
        load_config(tmp_path / "nope.toml")


def test_bad_toml_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[environment]\nmode = "paper"\n[live_risk\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message and "invalid TOML" in message and "line 3" in message
    assert "\n" not in message


def test_unknown_key_is_rejected_by_name(write_config) -> None:
    path = write_config(replace={"max_order_notional = 1000.0": "max_ordr_notional = 1000.0"})
    with pytest.raises(ConfigError, match=r"unknown key 'live_risk\.max_ordr_notional'"):
        load_config(path)


def test_negative_limit_names_key_and_value(write_config) -> None:
    path = write_config(replace={"max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = -5.0"})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "live_risk.max_symbol_exposure_notional" in message
    assert "greater than 0" in message and "-5.0" in message


@pytest.mark.parametrize("section", ["environment", "live_risk", "live_alerts"])
def test_missing_required_section_is_named(write_config, section: str) -> None:
    text = EXAMPLE_CONFIG.read_text().replace(f"[{section}]", "[removed_section_marker]")
    # drop the renamed table and its keys so only the section itself is missing
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line == "[removed_section_marker]"
        if not skipping:
            kept.append(line)
    path = write_config("\n".join(kept))
    with pytest.raises(ConfigError, match=rf"missing required section \[{section}\]"):
        load_config(path)


def test_bad_mode_names_key_and_value(write_config) -> None:
    path = write_config(replace={'mode = "paper"': 'mode = "papr"'})
    with pytest.raises(ConfigError, match=r"environment\.mode: .*'papr'"):
        load_config(path)


def test_paper_position_without_price_is_an_error(write_config) -> None:
    path = write_config(replace={'"SOL/EUR" = 150.0': ""})
    with pytest.raises(ConfigError, match=r"paper: .*SOL/EUR has no price"):
        load_config(path)


def test_bad_cron_and_timezone_are_named(write_config) -> None:
    with pytest.raises(ConfigError, match=r"schedule\.daily_cron"):
        load_config(write_config(replace={'daily_cron = "0 7 * * *"': 'daily_cron = "every day"'}))
    with pytest.raises(ConfigError, match=r"schedule\.timezone: unknown time zone"):
        load_config(write_config(replace={'timezone = "UTC"': 'timezone = "Mars/Olympus"'}))


def test_secrets_in_ccxt_config_are_refused(write_config) -> None:
    path = write_config(replace={'api_base_url = ""': 'api_base_url = ""\n[exchange.ccxt_config]\nsecret = "abc"'})
    with pytest.raises(ConfigError, match=r"exchange\.ccxt_config: 'secret' must not be in the file"):
        load_config(path)


def test_webhook_url_is_never_echoed_in_errors_or_repr(write_config) -> None:
    token = "T0KEN-s3cr3t"
    bad = write_config(replace={"webhook_urls = []": f'webhook_urls = ["ftp://hooks.example/{token}"]'})
    with pytest.raises(ConfigError) as info:
        load_config(bad)
    assert token not in str(info.value) and "live_alerts.webhook_urls" in str(info.value)
    good = load_config(write_config(replace={"webhook_urls = []": f'webhook_urls = ["https://hooks.example/{token}"]'}))
    assert token not in repr(good) and token not in good.model_dump_json()


def test_env_entries_resolve_from_the_environment() -> None:
    entries = [SecretStr("env:HOOK_A"), SecretStr("env:HOOK_MISSING"), SecretStr("https://h.example/x")]
    resolved = resolve_url_entries(entries, key="live_alerts.webhook_urls", environ={"HOOK_A": "https://a.example/t"})
    assert [u.get_secret_value() for u in resolved.urls] == ["https://a.example/t", "https://h.example/x"]
    assert resolved.problems == ["live_alerts.webhook_urls[1]: environment variable HOOK_MISSING is not set"]


def test_redact_url_keeps_only_scheme_host_port() -> None:
    assert redact_url("https://user:pw@hooks.slack.com/services/T/B/XYZ?x=1") == "https://hooks.slack.com"
    assert redact_url(SecretStr("http://127.0.0.1:8123/hook/abc")) == "http://127.0.0.1:8123"


def test_non_utf8_config_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[environment]\nmode = "paper"\n# caf\xe9\n')
    with pytest.raises(ConfigError, match=rf"{path.name} line 3: not UTF-8 text"):
        load_config(path)


def test_config_path_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory, not a config file"):
        load_config(tmp_path)
