"""Route events to the sinks: min_level filter, dedup against the history, isolated delivery.

Sinks are built one by one: a channel that cannot be built (a bad URL, an unset env var, a scheme
Apprise does not know) becomes an `InvalidSink`, recorded in the history as `invalid` with the
reason, and never stops the other channels. When no channel at all can deliver, the `log` and
`stderr` sinks are added: an alerting error is never silence.

Local sinks (log, stderr, invalid) answer inline. Every (event, network sink) delivery runs in
its own daemon thread, all in parallel, and the dispatch waits for them up to one bound that is
also capped by the run's `AlertBudget` (15 s for every dispatch of a run together, whatever
`timeout_seconds` and `retries` say): a dead channel costs a run at most that, and a daemon thread
does not keep the process alive. Whatever happened, each event is appended to the history with
one outcome per sink: sent, deduplicated, failed, filtered or invalid. A broken history
(StateError) is logged and delivery goes on without dedup: better a repeated alert than a silent one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from live_ops.alerts.budget import AlertBudget
from live_ops.alerts.events import AlertEvent, AlertLevel, redact_text
from live_ops.alerts.history import AlertHistory
from live_ops.alerts.sinks import DeliveryResult, InvalidSink, LogSink, Sink, SlackSink, StderrSink, WebhookSink
from live_ops.config.models import AlertsConfig
from live_ops.config.secrets import redact_url, resolve_url_entries
from live_ops.errors import StateError

GRACE_S = 1.0  # on top of the slowest sink's own bound, for thread start and bookkeeping
_log = logging.getLogger("live_ops.alerts.dispatch")

# sink name -> (config key of its URLs, URL schemes it takes; None: any, for Apprise)
URL_SINKS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "webhook": ("webhook_urls", ("http", "https")),
    "slack": ("slack_webhook_urls", ("http", "https")),
    "apprise": ("apprise_urls", None),
}


@dataclass
class EventOutcome:
    """One event and what every sink did with it; `event_id` is its history row (None if not stored)."""

    event: AlertEvent
    deliveries: list[DeliveryResult] = field(default_factory=list)
    event_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome as a JSON-ready dict."""
        return {"event": self.event.model_dump(mode="json"), "event_id": self.event_id,
                "deliveries": [d.to_dict() for d in self.deliveries]}


def _sink_class(name: str) -> Callable[..., Sink]:
    if name == "apprise":
        from live_ops.alerts.sinks.apprise import AppriseSink  # imports Apprise (~1 s): only when listed

        return AppriseSink
    return WebhookSink if name == "webhook" else SlackSink


def _url_sinks(name: str, config: AlertsConfig, environ: Mapping[str, str] | None,
               sleep: Callable[[float], None]) -> list[Sink]:
    """Return one sink per URL entry of `name`; an entry that cannot be built is an InvalidSink."""
    key, schemes = URL_SINKS[name]
    entries = getattr(config, key)
    if not entries:
        return [InvalidSink(name, "-", f"'{name}' is listed in live_alerts.sinks but live_alerts.{key} is empty")]
    sinks: list[Sink] = []
    for index, entry in enumerate(entries):
        label = f"{name}[{index}]"
        resolved = resolve_url_entries([entry], key=f"live_alerts.{key}", environ=environ, schemes=schemes)
        if resolved.problems:  # names the variable, never a value
            sinks.append(InvalidSink(label, "-", resolved.problems[0].replace("[0]", f"[{index}]", 1)))
            continue
        url = resolved.urls[0]
        try:
            sinks.append(_sink_class(name)(url, index=index, timeout_s=config.timeout_seconds,
                                           retries=config.retries, sleep=sleep))
        except Exception as exc:  # noqa: BLE001 - one channel that cannot be built must not stop the others
            sinks.append(InvalidSink(label, redact_url(url),
                                     f"cannot be built: {type(exc).__name__}: {redact_text(str(exc))[:200]}"))
    return sinks


def build_sinks(config: AlertsConfig, *, environ: Mapping[str, str] | None = None,
                sleep: Callable[[float], None] = time.sleep) -> list[Sink]:
    """Return the sinks `config` enables, in its order (none when alerting is disabled).

    A channel that cannot be built is an `InvalidSink` in its place; when nothing listed can
    deliver, `log` and `stderr` are added so that an event always reaches someone.
    """
    if not config.enabled:
        return []
    sinks: list[Sink] = []
    for name in config.sinks:
        if name == "log":
            sinks.append(LogSink(on_stderr="stderr" in config.sinks))
        elif name == "stderr":
            sinks.append(StderrSink())
        else:
            sinks.extend(_url_sinks(name, config, environ, sleep))
    if not any(not isinstance(s, InvalidSink) for s in sinks):
        names = {s.name for s in sinks}
        sinks.extend(s for s in (LogSink(), StderrSink()) if s.name not in names)
    for sink in sinks:
        if isinstance(sink, InvalidSink):
            _log.warning("alert sink %s cannot deliver: %s", sink.name, sink.reason)
    return sinks


class Dispatcher:
    """Sends events through `sinks`, records them in `history`, returns every outcome."""

    def __init__(
        self,
        sinks: Sequence[Sink],
        *,
        min_level: AlertLevel | str = AlertLevel.WARNING,
        repeat_after: timedelta = timedelta(minutes=60),
        history: AlertHistory | None = None,
        deadline_s: float | None = None,
        disabled_reason: str = "no alert sink is configured",
        budget: AlertBudget | None = None,
    ) -> None:
        self.sinks = list(sinks)
        self.min_level = AlertLevel.parse(min_level)
        self.repeat_after = repeat_after
        self.history = history
        bounds = [float(getattr(s, "deadline_s", 0.0)) for s in self.sinks]
        self.deadline_s = (max(bounds, default=0.0) + GRACE_S) if deadline_s is None else deadline_s
        self.disabled_reason = disabled_reason
        self.budget = budget or AlertBudget()

    @classmethod
    def from_config(cls, config: AlertsConfig, *, history: AlertHistory | None = None,
                    environ: Mapping[str, str] | None = None, sleep: Callable[[float], None] = time.sleep,
                    deadline_s: float | None = None, budget: AlertBudget | None = None) -> Dispatcher:
        """Return a dispatcher with the sinks, level filter and dedup window of `config`."""
        return cls(build_sinks(config, environ=environ, sleep=sleep), min_level=config.min_level,
                   repeat_after=timedelta(minutes=config.repeat_after_minutes), history=history,
                   deadline_s=deadline_s, budget=budget,
                   disabled_reason="alerting is disabled" if not config.enabled else "no alert sink can deliver")

    def _already_sent(self, event: AlertEvent) -> dict[str, AlertLevel]:
        if self.history is None or self.repeat_after <= timedelta(0):
            return {}
        try:
            return self.history.last_sent(event.key, event.ts - self.repeat_after)
        except StateError as exc:
            _log.warning("alert dedup skipped, history unreadable: %s", exc)
            return {}

    def _plan(self, events: Sequence[AlertEvent]) -> tuple[list[dict[str, DeliveryResult]], list[tuple[int, Sink]]]:
        """Return the outcomes decided without sending (filtered, deduplicated) and the sends to make."""
        decided: list[dict[str, DeliveryResult]] = []
        sends: list[tuple[int, Sink]] = []
        in_batch: dict[tuple[tuple[str, str, str], str], int] = {}
        for index, event in enumerate(events):
            outcome: dict[str, DeliveryResult] = {}
            decided.append(outcome)
            if event.filter_level.rank < self.min_level.rank:
                for sink in self.sinks:
                    outcome[sink.name] = DeliveryResult(sink.name, sink.target, "filtered",
                                                        detail=f"below min_level {self.min_level.value}")
                continue
            sent = self._already_sent(event)
            for sink in self.sinks:
                before = max(sent[sink.name].rank if sink.name in sent else -1,
                             in_batch.get((event.key, sink.name), -1))
                if before >= event.level.rank:
                    outcome[sink.name] = DeliveryResult(
                        sink.name, sink.target, "deduplicated",
                        detail=f"already sent within {self.repeat_after.total_seconds() / 60:g} min")
                else:
                    in_batch[(event.key, sink.name)] = event.level.rank
                    sends.append((index, sink))
        return decided, sends

    def dispatch(self, events: Sequence[AlertEvent]) -> list[EventOutcome]:
        """Deliver `events` and record them; return one outcome per event (never raises on a sink)."""
        decided, sends = self._plan(events)
        results: dict[int, DeliveryResult] = {}

        def deliver(slot: int, event: AlertEvent, sink: Sink) -> None:
            try:
                results[slot] = sink.send(event)
            except Exception as exc:  # noqa: BLE001 - a broken sink must not take the others down
                results[slot] = DeliveryResult(sink.name, sink.target, "failed", attempts=1,
                                               detail=f"{type(exc).__name__}: {redact_text(str(exc))}")

        remote = [(slot, i, sink) for slot, (i, sink) in enumerate(sends) if not getattr(sink, "local", False)]
        # the run's budget: what is left of it bounds this dispatch, and each sink's own retries
        bound = min(self.deadline_s, self.budget.remaining())
        exhausted = bool(remote) and bound <= 0
        threads = []
        if remote and not exhausted:
            left = self.budget.remaining()
            for sink in {id(s): s for _, _, s in remote}.values():
                if hasattr(sink, "deadline_s"):  # its retries stop inside the run's budget, not after it
                    sink.deadline_s = min(float(sink.deadline_s), left)
            threads = [threading.Thread(target=deliver, args=(slot, events[i], sink), daemon=True,
                                        name=f"alert-{sink.name}")
                       for slot, i, sink in remote]
            for thread in threads:
                thread.start()
        # local sinks (log, stderr, invalid) deliver here, whatever the network sinks do
        for slot, (i, sink) in enumerate(sends):
            if getattr(sink, "local", False):
                deliver(slot, events[i], sink)
        started = time.monotonic()
        end = started + max(0.0, bound)
        for thread in threads:
            thread.join(timeout=max(0.0, end - time.monotonic()))
        if threads:
            waited = time.monotonic() - started
            # a join's timeout may return a hair early: a send still hanging has used the whole bound
            self.budget.spend(max(waited, bound) if any(t.is_alive() for t in threads) else waited)
        for slot, (i, sink) in enumerate(sends):
            if exhausted and slot not in results:
                detail = f"not attempted: the run's {self.budget.total_s:g}s alert time budget is spent"
            else:
                detail = f"no answer within {bound:g}s: abandoned"
            decided[i][sink.name] = results.get(slot) or DeliveryResult(sink.name, sink.target, "failed",
                                                                        detail=detail)
        return [self._finish(event, decided[i]) for i, event in enumerate(events)]

    def _finish(self, event: AlertEvent, by_sink: dict[str, DeliveryResult]) -> EventOutcome:
        # keep the configured sink order in the history and the JSON
        deliveries = [by_sink[s.name] for s in self.sinks if s.name in by_sink]
        if not deliveries:
            deliveries = [DeliveryResult("-", "-", "filtered", detail=self.disabled_reason)]
        for d in deliveries:
            if d.status == "failed":
                _log.warning("alert %s [%s] not delivered to %s (%s): %s", event.code, event.subject, d.sink,
                             d.target, d.detail)
        outcome = EventOutcome(event, deliveries)
        if self.history is not None:
            try:
                outcome.event_id = self.history.record(event, deliveries)
            except StateError as exc:
                _log.error("alert %s [%s] not recorded in the history: %s", event.code, event.subject, exc)
        return outcome
