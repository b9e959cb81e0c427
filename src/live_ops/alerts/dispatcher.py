"""Route events to the sinks: min_level filter, dedup against the history, isolated delivery.

Every (event, sink) delivery runs in its own daemon thread and the dispatch waits for all of them
up to one overall bound; a dead, slow or refusing sink therefore costs at most that bound and
never holds up the other sinks, the flow or the CLI's exit (a daemon thread does not keep the
process alive). Whatever happened, each event is appended to the history with one outcome per
sink: sent, deduplicated, failed or filtered. A broken history (StateError) is logged and
delivery goes on without dedup: better a repeated alert than a silent one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from live_ops.alerts.events import AlertEvent, AlertLevel, redact_text
from live_ops.alerts.history import AlertHistory
from live_ops.alerts.sinks import DeliveryResult, LogSink, Sink, SlackSink, StderrSink, WebhookSink
from live_ops.config.models import AlertsConfig
from live_ops.config.secrets import resolve_url_entries
from live_ops.errors import StateError

GRACE_S = 1.0  # on top of the slowest sink's own bound, for thread start and bookkeeping
_log = logging.getLogger("live_ops.alerts.dispatch")


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


def build_sinks(config: AlertsConfig, *, environ: Mapping[str, str] | None = None,
                sleep: Callable[[float], None] = time.sleep) -> list[Sink]:
    """Return the sinks `config` enables, in its order (none when alerting is disabled)."""
    if not config.enabled:
        return []
    sinks: list[Sink] = []
    for name in config.sinks:
        if name == "log":
            sinks.append(LogSink(on_stderr="stderr" in config.sinks))
        elif name == "stderr":
            sinks.append(StderrSink())
        else:
            cls, key = (WebhookSink, "webhook_urls") if name == "webhook" else (SlackSink, "slack_webhook_urls")
            resolved = resolve_url_entries(getattr(config, key), key=f"live_alerts.{key}", environ=environ)
            for problem in resolved.problems:  # names the variable, never a value
                _log.warning("alert sink %s skipped: %s", name, problem)
            sinks.extend(cls(url, index=i, timeout_s=config.timeout_seconds, retries=config.retries, sleep=sleep)
                         for i, url in enumerate(resolved.urls))
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
    ) -> None:
        self.sinks = list(sinks)
        self.min_level = AlertLevel.parse(min_level)
        self.repeat_after = repeat_after
        self.history = history
        bounds = [float(getattr(s, "deadline_s", 0.0)) for s in self.sinks]
        self.deadline_s = (max(bounds, default=0.0) + GRACE_S) if deadline_s is None else deadline_s
        self.disabled_reason = disabled_reason

    @classmethod
    def from_config(cls, config: AlertsConfig, *, history: AlertHistory | None = None,
                    environ: Mapping[str, str] | None = None, sleep: Callable[[float], None] = time.sleep,
                    deadline_s: float | None = None) -> Dispatcher:
        """Return a dispatcher with the sinks, level filter and dedup window of `config`."""
        return cls(build_sinks(config, environ=environ, sleep=sleep), min_level=config.min_level,
                   repeat_after=timedelta(minutes=config.repeat_after_minutes), history=history,
                   deadline_s=deadline_s,
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

        threads = [threading.Thread(target=deliver, args=(slot, events[i], sink), daemon=True,
                                    name=f"alert-{sink.name}")
                   for slot, (i, sink) in enumerate(sends)]
        for thread in threads:
            thread.start()
        end = time.monotonic() + self.deadline_s
        for thread in threads:
            thread.join(timeout=max(0.0, end - time.monotonic()))
        for slot, (i, sink) in enumerate(sends):
            result = results.get(slot) or DeliveryResult(
                sink.name, sink.target, "failed", detail=f"no answer within {self.deadline_s:g}s: abandoned")
            decided[i][sink.name] = result
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
