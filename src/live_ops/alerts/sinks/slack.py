"""The `slack` sink: the webhook sink with Slack's incoming-webhook payload (`text` + `blocks`).

`text` is the notification fallback; the blocks show level, source, message and the context
fields an operator acts on. Slack reads `&`, `<` and `>` as markup (links, mentions), so every
value is escaped. Slack answers 200 with the body `ok`.
"""

from __future__ import annotations

from typing import Any

from live_ops.alerts.events import AlertEvent
from live_ops.alerts.sinks.webhook import WebhookSink

_ICON = {"INFO": ":information_source:", "WARNING": ":warning:", "CRITICAL": ":rotating_light:"}
# context keys worth a field of their own, in the order an operator reads them
_KEY_FIELDS = ("symbol", "limit_name", "value", "limit", "ratio", "check", "status", "flow", "state",
               "recovered_code")
_MAX_FIELDS = 10  # Slack's limit per section
_MAX_TEXT = 2900  # Slack allows 3000 characters per text object


def escape(text: object) -> str:
    """Return `text` with Slack's control characters escaped (&, <, >)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _value(key: str, value: object) -> str:
    if key == "ratio" and isinstance(value, (int, float)):
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def slack_payload(event: AlertEvent) -> dict[str, Any]:
    """Return the Slack incoming-webhook body for `event`."""
    level = event.level.value
    headline = f"[{level}] {event.source} {event.code}: {event.message}"
    fields = [f"*Level*\n{escape(level)}", f"*Source*\n{escape(event.source)}", f"*Code*\n{escape(event.code)}"]
    for key in _KEY_FIELDS:
        value = event.context.get(key)
        if value is not None and not isinstance(value, (dict, list)) and len(fields) < _MAX_FIELDS:
            fields.append(f"*{escape(key)}*\n{escape(_value(key, value))}")
    return {
        "text": escape(headline)[:_MAX_TEXT],
        "blocks": [
            {"type": "section",
             "text": {"type": "mrkdwn", "text": f"{_ICON[level]} *{escape(level)}* {escape(event.message)}"[:_MAX_TEXT]}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": f[:_MAX_TEXT]} for f in fields]},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": escape(f"{event.ts:%Y-%m-%d %H:%M:%S} UTC · {event.subject or '-'}")}]},
        ],
    }


class SlackSink(WebhookSink):
    """A webhook whose body is `slack_payload(event)`; retries and time bound are the webhook's."""

    kind = "slack"

    def payload(self, event: AlertEvent) -> dict[str, Any]:
        """Return the Slack body for `event`."""
        return slack_payload(event)
