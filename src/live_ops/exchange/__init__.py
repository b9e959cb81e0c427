"""Exchange gateways: one read-only interface; paper (embedded) and ccxt implementations."""

from live_ops.exchange.factory import build_gateway
from live_ops.exchange.gateway import (
    AccountSummary,
    Balance,
    ExchangeGateway,
    Holdings,
    MarketRules,
    Position,
    Probe,
    Quote,
)
from live_ops.exchange.paper import PaperGateway

__all__ = [
    "AccountSummary",
    "Balance",
    "ExchangeGateway",
    "Holdings",
    "MarketRules",
    "PaperGateway",
    "Position",
    "Probe",
    "Quote",
    "build_gateway",
]
