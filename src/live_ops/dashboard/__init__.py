"""`live-ops dashboard`: a read-only web page, JSON and Prometheus metrics of the desk now.

    model   the read model (`Desk`): what is shown, as plain dataclasses
    read    the only module that knows where the data lives (history, alerts, archive)
    view    the desk as display strings and chart geometry
    auth    loopback by default, a bearer token for any other address
    app     the Starlette routes
    server  uvicorn, after the checks that must pass before a socket opens
"""

from live_ops.dashboard.model import Desk

__all__ = ["Desk"]
