"""`python -m live_ops.cli`: the same as the `live-ops` console script."""

from live_ops.cli import console_main

console_main()
