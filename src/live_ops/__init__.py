"""Peak Live Ops: the domain core. Plain Python; never imports Prefect."""

__version__ = "0.1.0"
