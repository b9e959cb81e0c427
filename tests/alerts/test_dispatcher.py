"""The dispatcher: sinks from config, min_level, dedup, recoveries, isolation of bad sinks."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from pydantic import SecretStr

from live_ops.alerts import AlertLevel, Dispatcher, build_sinks
from live_ops.alerts.sinks import DeliveryResult, InvalidSink, LogSink, WebhookSink
from live_ops.config.models import AlertsConfig
from tests.alerts.helpers import T0, make_event
from tests.fakes.receiver import Reply, refused_url


def _statuses(outcomes) -> list[dict[str, str]]:
    return [{d.sink: d.status for d in o.deliveries} for o in outcomes]


def test_build_sinks_only_enabled_and_resolved_unresolved_kept_as_invalid(monkeypatch) -> None:
    config = AlertsConfig(sinks=["log", "webhook", "slack"], webhook_urls=["env:LIVE_OPS_HOOK", "http://h/a"],
                          slack_webhook_urls=["env:LIVE_OPS_UNSET"])
    sinks = build_sinks(config, environ={"LIVE_OPS_HOOK": "https://x.example/k"})
    assert [(s.name, s.target) for s in sinks] == [
        ("log", "logger:live_ops.alerts"), ("webhook[0]", "https://x.example"), ("webhook[1]", "http://h"),
        ("slack[0]", "-")]
    assert isinstance(sinks[-1], InvalidSink) and "LIVE_OPS_UNSET is not set" in sinks[-1].reason
    assert build_sinks(config.model_copy(update={"enabled": False})) == []


def test_dispatch_bad_sinks_never_block_the_healthy_one(receivers, dispatcher_for, history) -> None:
    healthy, failing, slow = receivers(), receivers(), receivers()
    failing.default = Reply(500, "down")
    slow.slow()  # answers only at teardown
    dispatcher = dispatcher_for(sinks=["webhook", "slack"], timeout_seconds=0.3, retries=1,
                                webhook_urls=[failing.url_for("/a"), refused_url(), slow.url_for("/c")],
                                slack_webhook_urls=[healthy.url_for("/ok")])
    started = time.monotonic()
    (outcome,) = dispatcher.dispatch([make_event()])
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, elapsed  # each bad sink costs at most its own bound, all in parallel
    by_sink = {d.sink: d for d in outcome.deliveries}
    assert by_sink["slack[0]"].status == "sent" and len(healthy.requests) == 1
    assert [by_sink[f"webhook[{i}]"].status for i in range(3)] == ["failed"] * 3
    assert by_sink["webhook[0]"].attempts == 2 and len(failing.requests) == 2
    assert by_sink["webhook[1]"].attempts == 2
    assert "Timeout" in by_sink["webhook[2]"].detail
    (row,) = history.query(since=T0 - timedelta(days=1))
    assert {d["sink"]: d["status"] for d in row.deliveries} == {
        "webhook[0]": "failed", "webhook[1]": "failed", "webhook[2]": "failed", "slack[0]": "sent"}


class _HangingSink:
    """A sink that ignores every timeout: the dispatcher's overall bound must abandon it."""

    name, target = "hang", "nowhere"

    def __init__(self) -> None:
        self.release = threading.Event()

    def send(self, event) -> DeliveryResult:
        self.release.wait()
        return DeliveryResult(self.name, self.target, "sent")


class _RaisingSink:
    name, target = "broken", "nowhere"

    def send(self, event) -> DeliveryResult:
        raise RuntimeError("bug in a sink")


def test_dispatch_abandons_a_sink_past_the_overall_bound(receivers, sleeps) -> None:
    rx = receivers()
    hanging = _HangingSink()
    try:
        dispatcher = Dispatcher([hanging, _RaisingSink(), WebhookSink(SecretStr(rx.url), sleep=sleeps)],
                                deadline_s=0.3)
        started = time.monotonic()
        (outcome,) = dispatcher.dispatch([make_event()])
        assert time.monotonic() - started < 1.5
    finally:
        hanging.release.set()
    assert _statuses([outcome]) == [{"hang": "failed", "broken": "failed", "webhook[0]": "sent"}]
    assert "abandoned" in outcome.deliveries[0].detail and "RuntimeError" in outcome.deliveries[1].detail


def test_dispatch_filters_below_min_level(receivers, dispatcher_for, history) -> None:
    rx = receivers()
    dispatcher = dispatcher_for(min_level="critical", webhook_urls=[rx.url])
    outcomes = dispatcher.dispatch([make_event(AlertLevel.WARNING), make_event(AlertLevel.CRITICAL, code="X")])
    assert _statuses(outcomes) == [{"webhook[0]": "filtered"}, {"webhook[0]": "sent"}]
    assert len(rx.requests) == 1 and len(history.query(since=T0 - timedelta(days=1))) == 2


def test_dispatch_dedups_within_window_and_resends_after(receivers, dispatcher_for) -> None:
    rx = receivers()
    dispatcher = dispatcher_for(webhook_urls=[rx.url], repeat_after_minutes=60)
    first = dispatcher.dispatch([make_event(ts=T0)])
    again = dispatcher.dispatch([make_event(ts=T0 + timedelta(minutes=59))])
    later = dispatcher.dispatch([make_event(ts=T0 + timedelta(minutes=61))])
    assert _statuses(first + again + later) == [{"webhook[0]": s} for s in ("sent", "deduplicated", "sent")]
    assert len(rx.requests) == 2


def test_dispatch_resends_when_level_rises(receivers, dispatcher_for) -> None:
    rx = receivers()
    dispatcher = dispatcher_for(webhook_urls=[rx.url], min_level="info")
    outcomes = [dispatcher.dispatch([make_event(level, code="FLOW_FAILED", ts=T0 + timedelta(minutes=i))])[0]
                for i, level in enumerate([AlertLevel.WARNING, AlertLevel.CRITICAL, AlertLevel.WARNING])]
    assert _statuses(outcomes) == [{"webhook[0]": s} for s in ("sent", "sent", "deduplicated")]


def test_dispatch_retries_a_sink_that_failed_last_time(receivers, dispatcher_for) -> None:
    rx = receivers()
    rx.script(400)  # first delivery refused for good; the next run must try again
    dispatcher = dispatcher_for(webhook_urls=[rx.url])
    first = dispatcher.dispatch([make_event(ts=T0)])
    again = dispatcher.dispatch([make_event(ts=T0 + timedelta(minutes=5))])
    assert _statuses(first + again) == [{"webhook[0]": "failed"}, {"webhook[0]": "sent"}]


def test_dispatch_dedups_inside_one_batch(receivers, dispatcher_for) -> None:
    rx = receivers()
    outcomes = dispatcher_for(webhook_urls=[rx.url]).dispatch([make_event(), make_event()])
    assert _statuses(outcomes) == [{"webhook[0]": "sent"}, {"webhook[0]": "deduplicated"}]


def test_dispatch_resends_alert_after_a_recovery_was_sent(receivers, dispatcher_for) -> None:
    rx = receivers()
    dispatcher = dispatcher_for(webhook_urls=[rx.url], min_level="warning")
    alert = dispatcher.dispatch([make_event(ts=T0)])
    recovered = dispatcher.dispatch([make_event(AlertLevel.INFO, code="RISK_LIMIT_RECOVERED_PORTFOLIO",
                                                recovers=AlertLevel.WARNING, ts=T0 + timedelta(minutes=10))])
    again = dispatcher.dispatch([make_event(ts=T0 + timedelta(minutes=20))])
    assert _statuses(alert + recovered + again) == [{"webhook[0]": "sent"}] * 3
    assert [r.json()["code"] for r in rx.requests] == [
        "RISK_LIMIT_WARNING_PORTFOLIO", "RISK_LIMIT_RECOVERED_PORTFOLIO", "RISK_LIMIT_WARNING_PORTFOLIO"]


def test_dispatch_disabled_records_event_as_filtered(history) -> None:
    dispatcher = Dispatcher.from_config(AlertsConfig(enabled=False), history=history)
    (outcome,) = dispatcher.dispatch([make_event()])
    assert [(d.sink, d.status, d.detail) for d in outcome.deliveries] == [("-", "filtered", "alerting is disabled")]
    assert outcome.event_id is not None


def test_dispatch_goes_on_when_history_is_unwritable(receivers, tmp_path, sleeps) -> None:
    from live_ops.alerts import AlertHistory

    rx = receivers()
    broken = AlertHistory(tmp_path)  # a directory: SQLite cannot open it
    dispatcher = Dispatcher([WebhookSink(SecretStr(rx.url), sleep=sleeps), LogSink()], history=broken)
    (outcome,) = dispatcher.dispatch([make_event()])
    assert _statuses([outcome]) == [{"webhook[0]": "sent", "log": "sent"}] and outcome.event_id is None


# finding 1 and 9 of the hardening campaign


def test_unbuildable_sink_recorded_invalid_while_log_and_stderr_deliver(history, capsys) -> None:
    config = AlertsConfig(sinks=["log", "stderr", "webhook"], webhook_urls=["env:LIVE_OPS_HOOK"])
    dispatcher = Dispatcher.from_config(config, history=history,
                                        environ={"LIVE_OPS_HOOK": "http://127.0.0.1:99999/hook/T0SECRET"})
    (outcome,) = dispatcher.dispatch([make_event()])
    assert _statuses([outcome]) == [{"log": "sent", "stderr": "sent", "webhook[0]": "invalid"}]
    assert "port out of range" in outcome.deliveries[2].detail
    assert "[ALERT WARNING]" in capsys.readouterr().err
    stored = history.query(since=outcome.event.ts)[0]
    assert {d["sink"]: d["status"] for d in stored.deliveries}["webhook[0]"] == "invalid"
    assert "T0SECRET" not in repr(stored)


def test_no_buildable_sink_falls_back_to_log_and_stderr_never_silent(history, capsys) -> None:
    config = AlertsConfig(sinks=["webhook"], webhook_urls=["env:LIVE_OPS_UNSET"])
    (outcome,) = Dispatcher.from_config(config, history=history, environ={}).dispatch([make_event()])
    assert _statuses([outcome]) == [{"webhook[0]": "invalid", "log": "sent", "stderr": "sent"}]
    assert "[ALERT WARNING]" in capsys.readouterr().err


def test_alert_budget_bounds_every_dispatch_of_a_run_with_a_hanging_webhook(receivers) -> None:
    from live_ops.alerts import AlertBudget

    hanging = receivers()
    hanging.slow()  # answers only at teardown
    budget = AlertBudget(total_s=1.0)
    config = AlertsConfig(sinks=["stderr", "webhook"], webhook_urls=[hanging.url_for("/a"), hanging.url_for("/b")],
                          timeout_seconds=30, retries=5)
    started = time.monotonic()
    first = Dispatcher.from_config(config, budget=budget).dispatch([make_event(code="A"), make_event(code="B")])
    # the first dispatch waited the whole budget on a send that never answered: none of it is left
    assert budget.remaining() == 0.0
    second = Dispatcher.from_config(config, budget=budget).dispatch([make_event(code="C")])
    elapsed = time.monotonic() - started
    # unbounded, the six sends would wait 6 x 30 s; the margin over the 1 s budget is for a loaded machine
    assert elapsed < 10.0, f"two dispatches against a hanging webhook took {elapsed:.1f}s"
    assert all(d.status == "sent" for o in first + second for d in o.deliveries if d.sink == "stderr")
    assert all(d.status == "failed" for o in first + second for d in o.deliveries if d.sink.startswith("webhook"))
    assert "budget is spent" in second[0].deliveries[1].detail


def test_network_sinks_are_sent_in_parallel(receivers) -> None:
    slow = [receivers() for _ in range(3)]
    for rx in slow:
        rx.slow()
    config = AlertsConfig(sinks=["webhook"], webhook_urls=[rx.url for rx in slow], timeout_seconds=2.0, retries=0)
    started = time.monotonic()
    Dispatcher.from_config(config).dispatch([make_event(code="A"), make_event(code="B")])
    # six sends of 2 s each, one after the other, would take 12 s; in parallel ~4 s (margin for a loaded machine)
    assert time.monotonic() - started < 8.0
