"""Alert sinks, one module per channel (`apprise` imported lazily); each `send(event) -> DeliveryResult` and never raises."""

from live_ops.alerts.sinks.base import DeliveryResult, DeliveryStatus, InvalidSink, Sink
from live_ops.alerts.sinks.log import LogSink
from live_ops.alerts.sinks.slack import SlackSink, slack_payload
from live_ops.alerts.sinks.stderr import StderrSink
from live_ops.alerts.sinks.webhook import WebhookSink, default_deadline, parse_retry_after

__all__ = [
    "DeliveryResult",
    "DeliveryStatus",
    "InvalidSink",
    "LogSink",
    "Sink",
    "SlackSink",
    "StderrSink",
    "WebhookSink",
    "default_deadline",
    "parse_retry_after",
    "slack_payload",
]
