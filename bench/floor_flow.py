"""Floors for the health benchmark: an empty async Prefect flow, run the way the CLI runs a flow.

    python bench/floor_flow.py                  # the issue's floor: an empty flow, no parameters
    python bench/floor_flow.py --with-parameter # the same empty flow taking one str parameter

Any flow with parameters pays Prefect's parameter serialisation on every run (it imports
fastapi's jsonable_encoder, ~85 ms here); the second floor shows that cost on its own.
"""

import asyncio
import sys

from prefect import flow


@flow(name="bench-floor")
async def empty_flow() -> None:
    return None


@flow(name="bench-floor-with-parameter")
async def empty_flow_with_parameter(config_path: str = "config/config.toml") -> None:
    return None


if __name__ == "__main__":
    if "--with-parameter" in sys.argv[1:]:
        asyncio.run(empty_flow_with_parameter(config_path="config/config.toml"))
    else:
        asyncio.run(empty_flow())
