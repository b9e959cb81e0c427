"""The `apprise` sink: one Apprise URL (tgram://, discord://, pagerduty://, mailto://, json://, ...).

Apprise is the seam: its plugin is built once per URL (an unknown scheme or a URL Apprise
rejects raises `AlertDeliveryError`, which the dispatcher records as an `invalid` sink) and
`notify()` answers True or False. Retries, backoff and the time bound are ours, as in the
webhook sink (Apprise's own `retry` stays 0). Apprise URLs carry bot tokens and keys, often
where a host would be (`tgram://123456:ABC.../chat`), so `target` is `redact_url` of it:
scheme and host at most, `***` when the "host" is not a host name. Apprise's own log lines
are cut the same way before they reach any handler.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from pydantic import SecretStr

from live_ops.alerts.events import AlertEvent, AlertLevel
from live_ops.alerts.sinks.base import DeliveryResult
from live_ops.alerts.sinks.webhook import BACKOFF_S, default_deadline
from live_ops.config.secrets import redact_url
from live_ops.errors import AlertDeliveryError

_ANY_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s'\"<>]+")


def redact_any_url(text: str) -> str:
    """Return `text` with every `scheme://...` cut to what `redact_url` shows."""
    return _ANY_URL.sub(lambda m: redact_url(m.group(0)), text)


class _RedactUrls(logging.Filter):
    """Apprise logs targets in some failure messages: keep scheme://host only."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_any_url(record.getMessage())
        record.args = None
        return True


def _quiet_apprise() -> None:
    logger = logging.getLogger("apprise")
    if not any(isinstance(f, _RedactUrls) for f in logger.filters):
        logger.addFilter(_RedactUrls())


def _notify_type(level: AlertLevel) -> Any:
    from apprise import NotifyType

    return {AlertLevel.INFO: NotifyType.INFO, AlertLevel.WARNING: NotifyType.WARNING,
            AlertLevel.CRITICAL: NotifyType.FAILURE}[level]


def apprise_message(event: AlertEvent) -> tuple[str, str]:
    """Return (title, body) for `event`: the level and code in the title, message and context in the body."""
    title = f"[{event.level.value}] {event.source} {event.code}"
    lines = [event.message]
    for key, value in event.context.items():
        if value is not None and not isinstance(value, (dict, list)):
            lines.append(f"{key}: {value}")
    lines.append(f"{event.ts:%Y-%m-%d %H:%M:%S} UTC · {event.subject or '-'}")
    return title, "\n".join(lines)


class AppriseSink:
    """Delivers events through one Apprise URL; `notify() is True` is delivered."""

    kind = "apprise"

    def __init__(
        self,
        url: SecretStr,
        *,
        index: int = 0,
        timeout_s: float = 3.0,
        retries: int = 2,
        deadline_s: float | None = None,
        backoff_s: float = BACKOFF_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import apprise  # ~1 s import: only when an apprise sink is configured

        _quiet_apprise()
        self.name = f"{self.kind}[{index}]"
        self.target = redact_url(url)
        plugin: Any = apprise.Apprise.instantiate(url.get_secret_value().strip())
        if plugin is None:
            scheme = self.target.split("://", 1)[0]
            raise AlertDeliveryError(f"Apprise cannot build a notifier from this {scheme}:// URL "
                                     "(unknown scheme or missing token)")
        for attribute in ("socket_connect_timeout", "socket_read_timeout"):
            if hasattr(plugin, attribute):
                setattr(plugin, attribute, timeout_s)
        self._plugin = plugin
        self.timeout_s = timeout_s
        self.retries = retries
        self.deadline_s = default_deadline(timeout_s, retries) if deadline_s is None else deadline_s
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.clock = clock

    def send(self, event: AlertEvent) -> DeliveryResult:
        """Notify with retries inside the deadline; return sent or failed (never raises)."""
        title, body = apprise_message(event)
        started = self.clock()
        deadline = started + self.deadline_s
        attempts = 0
        detail = ""
        while True:
            attempts += 1
            try:
                delivered = bool(self._plugin.notify(body=body, title=title, notify_type=_notify_type(event.level)))
                detail = "" if delivered else "Apprise reported the notification as not delivered"
            except Exception as exc:  # noqa: BLE001 - the seam: any plugin error is a failed attempt
                delivered = False
                detail = f"{type(exc).__name__}: {redact_any_url(str(exc))[:160]}"
            elapsed_ms = (self.clock() - started) * 1000
            if delivered:
                return DeliveryResult(self.name, self.target, "sent", attempts=attempts, duration_ms=elapsed_ms)
            if attempts > self.retries:
                return DeliveryResult(self.name, self.target, "failed", attempts=attempts,
                                      detail=f"{detail} (after {attempts} attempts)", duration_ms=elapsed_ms)
            wait = self.backoff_s * 2 ** (attempts - 1)
            if self.clock() + wait + min(self.timeout_s, 0.1) >= deadline:
                return DeliveryResult(self.name, self.target, "failed", attempts=attempts,
                                      detail=f"{detail}; a retry would pass the {self.deadline_s:g}s time bound",
                                      duration_ms=elapsed_ms)
            self.sleep(wait)
