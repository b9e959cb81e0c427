"""Floor for the health benchmark: one empty async Prefect flow, run the way the CLI runs a flow."""

import asyncio

from prefect import flow


@flow(name="bench-floor")
async def empty_flow() -> None:
    return None


if __name__ == "__main__":
    asyncio.run(empty_flow())
