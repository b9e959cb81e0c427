"""`python -m flows.cli`: the same as the `live-ops` console script."""

from flows.cli import console_main

console_main()
