"""The run context: what one run of a step (or of a flow's steps) shares.

A `RunContext` is made from a config *path*, loads the config once (the first time it is asked
for), and builds ONE exchange gateway lazily: a report's health check and its portfolio read use
the same gateway, so markets load once per run. It is the handle tasks receive instead of the
config itself, so no resolved secret crosses a task boundary. Close it when the run ends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from live_ops.alerts.budget import AlertBudget
from live_ops.clock import now as clock_now
from live_ops.config.loader import load_config
from live_ops.config.models import LiveOpsConfig
from live_ops.errors import ConfigError
from live_ops.exchange.factory import build_gateway
from live_ops.exchange.gateway import ExchangeGateway

if TYPE_CHECKING:
    from live_ops.alerts.service import Alerter

GatewayBuilder = Callable[[LiveOpsConfig, Mapping[str, str]], ExchangeGateway]


class RunContext:
    """One run: the config loaded once from `config_path`, one gateway, one alerter, one clock.

    Seams (constructor arguments, not patched globals): `environ` for secrets and env-named URLs,
    `build` for the gateway, `clock` for the time of the run.
    """

    def __init__(self, config_path: Path | str, *, environ: Mapping[str, str] | None = None,
                 build: GatewayBuilder = build_gateway, clock: Callable[[], datetime] = clock_now,
                 alert_budget: AlertBudget | None = None) -> None:
        self.config_path = str(config_path)
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.clock = clock
        # every alert of the run (and of its failure hook) draws on one time budget (README: Reliability)
        self.alert_budget = AlertBudget() if alert_budget is None else alert_budget
        self._build = build
        self._lock = threading.Lock()  # the health check builds the gateway in a worker thread
        self._config: LiveOpsConfig | None = None
        self._config_error: ConfigError | None = None
        self._gateway: ExchangeGateway | None = None
        self._alerter: Alerter | None = None

    def __repr__(self) -> str:
        # what Prefect's logs and UI may show of a task's input: the path, never the config
        return f"RunContext({self.config_path!r})"

    # -- config ---------------------------------------------------------------------------------
    @property
    def config(self) -> LiveOpsConfig:
        """Return the validated config (loaded on first use); raise its ConfigError if it does not load."""
        with self._lock:
            if self._config is None and self._config_error is None:
                try:
                    self._config = load_config(self.config_path)
                except ConfigError as exc:
                    self._config_error = exc
        if self._config_error is not None:
            raise self._config_error
        assert self._config is not None
        return self._config

    def loaded_config(self) -> LiveOpsConfig | None:
        """Return the config, or None when it does not load (`config_error` says why)."""
        try:
            return self.config
        except ConfigError:
            return None

    @property
    def config_error(self) -> ConfigError | None:
        """Return why the config did not load (None when it loaded or was not asked for yet)."""
        return self._config_error

    @property
    def venue(self) -> str:
        """Return the venue's name for messages: `paper`, or the ccxt exchange id."""
        config = self.config
        return "paper" if config.mode == "paper" else config.exchange.id

    # -- the one gateway of the run ---------------------------------------------------------------
    @property
    def gateway(self) -> ExchangeGateway:
        """Return the run's gateway, built on first use (raises ConfigError / ExchangeError)."""
        config = self.config
        with self._lock:
            if self._gateway is None:
                self._gateway = self._build(config, self.environ)
            return self._gateway

    @property
    def alerter(self) -> Alerter:
        """Return the run's alerter: the config's sinks and history (the config must have loaded)."""
        from live_ops.alerts.service import Alerter

        config = self.config
        with self._lock:
            if self._alerter is None:
                self._alerter = Alerter(config, environ=self.environ, clock=self.clock, budget=self.alert_budget)
            return self._alerter

    def close(self) -> None:
        """Release the gateway's connections; the context must not be used afterwards."""
        with self._lock:
            gateway, self._gateway = self._gateway, None
        if gateway is not None:
            gateway.close()

    def __enter__(self) -> RunContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
