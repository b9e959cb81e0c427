"""Finding 10 of the hardening campaign: secrets by construction in every form a config can take."""

from __future__ import annotations

import pickle

import cloudpickle
import pytest

from live_ops.alerts import build_sinks
from live_ops.alerts.sinks import InvalidSink
from live_ops.config import load_config

SECRETS = ("pr0xyPASS", "baseURLpass", "T0KEN-webhook", "T0KEN-slack", "T0KEN-apprise")


def _with_proxy(write_config):
    path = write_config(replace={
        'api_base_url = ""': 'api_base_url = "http://ops:baseURLpass@127.0.0.1:8443"',
        "\nwebhook_urls = []": '\nwebhook_urls = ["https://hooks.example/T0KEN-webhook"]',
        "apprise_urls = []": 'apprise_urls = ["tgram://123456:T0KEN-apprise/-100"]',
        "slack_webhook_urls = []": 'slack_webhook_urls = ["https://hooks.slack.com/services/T0KEN-slack"]',
    })
    text = path.read_text() + ('\n[exchange.ccxt_config]\nhttpsProxy = "http://u:pr0xyPASS@proxy.example:3128"\n'
                               '[exchange.ccxt_config.options]\ndefaultType = "swap"\n')
    path.write_text(text)
    return path


def _assert_clean(text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    for secret in SECRETS:
        assert secret.encode() not in data, f"{secret} leaked"


def test_exchange_config_repr_hides_proxy_credentials_and_url_userinfo(write_config) -> None:
    config = load_config(_with_proxy(write_config))
    assert config.exchange.ccxt_config["httpsProxy"].endswith("proxy.example:3128")  # usable in memory
    _assert_clean(repr(config))
    _assert_clean(str(config.exchange))
    assert "'httpsProxy': '***'" in repr(config.exchange) and "'defaultType': 'swap'" in repr(config.exchange)
    assert "http://***@127.0.0.1:8443" in repr(config.exchange)


def test_config_json_dump_carries_no_secret(write_config) -> None:
    config = load_config(_with_proxy(write_config))
    _assert_clean(config.model_dump_json())
    _assert_clean(repr(config.model_dump()))


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps])
def test_pickled_config_as_result_persistence_stores_no_secret(write_config, dumps) -> None:
    config = load_config(_with_proxy(write_config))
    blob = dumps(config)
    _assert_clean(blob)
    restored = pickle.loads(blob)
    assert restored.live_risk == config.live_risk and restored.mode == config.mode
    # a config that went through pickle cannot post anywhere: its channels are `invalid`, said why
    sinks = build_sinks(restored.live_alerts.model_copy(update={"sinks": ["log", "webhook"]}))
    assert isinstance(sinks[1], InvalidSink) and "redacted" in sinks[1].reason


def test_serve_turns_on_prefect_heartbeats_for_its_runs_unless_set() -> None:
    from live_ops.cli.serve import heartbeat_environment

    assert heartbeat_environment({})["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == "60"
    operator = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "120"}
    assert heartbeat_environment(operator)["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == "120"
