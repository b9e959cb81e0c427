"""Build the gateway the config asks for. ccxt is imported only for testnet/live."""

from __future__ import annotations

import os
from collections.abc import Mapping

from live_ops.config.models import LiveOpsConfig
from live_ops.exchange.gateway import ExchangeGateway
from live_ops.exchange.paper import PaperGateway


def build_gateway(config: LiveOpsConfig, environ: Mapping[str, str] | None = None) -> ExchangeGateway:
    """Return a read-only gateway for the configured mode (paper: no network; else ccxt)."""
    if config.mode == "paper":
        return PaperGateway(config.paper)
    from live_ops.exchange.ccxt_gateway import CcxtGateway  # ~0.8 s import: only when needed

    return CcxtGateway(config.exchange, mode=config.mode, environ=os.environ if environ is None else environ)
