"""A quiet terminal and a clean exit for ad-hoc runs (imported only once a flow is about to run).

- `quiet_console`: Prefect's console handler shows WARNING and above (INFO with --verbose); the
  runs and their logs still reach the Prefect API in full. An alert that the `stderr` sink
  prints is not printed a second time by the `log` sink's record.
- `watch_task_runs` / `wait_for_ephemeral_server`: task runs reach a Prefect server as events,
  which its `task_run_recorder` service writes to the database one by one. A CLI run against
  Prefect's temporary (ephemeral) server used to stop that server while the recorder was still
  writing the last task runs: the write was cancelled, the task runs were left unfinished in
  the database, and the server printed a 60-80-line `Error flushing ... CancelledError`
  traceback. Before the server is stopped we now wait (bounded) until the server shows every
  task run this process ran in a final state.
"""

from __future__ import annotations

import logging
import sys
import time

WAIT_FOR_RECORDER_S = 30.0
_POLL_S = 0.05
_FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
_task_runs: set[str] = set()


class _DropEchoedAlerts(logging.Filter):
    """Drop the `log` sink's record of an alert the `stderr` sink prints anyway: one line per alert."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "live_ops_on_stderr", False)


class _TaskRunIds(logging.Handler):
    """Remember the id of every task run that logs (Prefect logs each one's start and end)."""

    def emit(self, record: logging.LogRecord) -> None:
        task_run_id = getattr(record, "task_run_id", None)
        if task_run_id:
            _task_runs.add(str(task_run_id))


def quiet_console(*, verbose: bool) -> None:
    """Show Prefect's INFO logs on the terminal only when `verbose`; never an alert twice."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for logger in (logging.getLogger(), logging.getLogger("uvicorn"), logging.getLogger("fastapi")):
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler):
                if not verbose and handler.level < logging.WARNING:
                    handler.setLevel(logging.WARNING)
                if not any(isinstance(f, _DropEchoedAlerts) for f in handler.filters):
                    handler.addFilter(_DropEchoedAlerts())


def watch_task_runs() -> None:
    """Start remembering the task runs of this process (see `wait_for_ephemeral_server`)."""
    logger = logging.getLogger("prefect.task_runs")
    if not any(isinstance(h, _TaskRunIds) for h in logger.handlers):
        logger.addHandler(_TaskRunIds())


def _ephemeral_api_url() -> str | None:
    # a temporary server started by this process has imported its module; importing it here
    # (~2.5 s of FastAPI routes) would make every run against a long-running server pay for it
    server_module = sys.modules.get("prefect.server.api.server")
    if server_module is None:
        return None
    for server in list(server_module.SubprocessASGIServer._instances.values()):
        if server.running and server.server_process is not None and server.server_process.poll() is None:
            return server.api_url
    return None


def unrecorded(task_run_ids: set[str], api_url: str) -> int:
    """Return how many of `task_run_ids` the server at `api_url` does not yet show in a final state."""
    from uuid import UUID

    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterId

    with SyncPrefectClient(api_url) as client:
        runs = client.read_task_runs(task_run_filter=TaskRunFilter(id=TaskRunFilterId(any_=[UUID(i) for i in
                                                                                        task_run_ids])))
    done = sum(1 for run in runs if run.state_type is not None and run.state_type.value in _FINAL)
    return len(task_run_ids) - done


def wait_for_ephemeral_server(timeout_s: float = WAIT_FOR_RECORDER_S) -> None:
    """Wait until a temporary server this process started has recorded all its task runs (bounded).

    Nothing to do against a long-running server (it outlives us) or when no task ran.
    Never raises: a clean exit matters more than a perfect record.
    """
    if not _task_runs:
        return
    try:
        api_url = _ephemeral_api_url()
        if api_url is None:
            return
        deadline = time.monotonic() + timeout_s
        while unrecorded(set(_task_runs), api_url) and time.monotonic() < deadline:
            time.sleep(_POLL_S)  # the recorder gives no signal of its own: poll the API it writes to
    except Exception as exc:  # noqa: BLE001 - best effort at exit
        logging.getLogger("live_ops.cli").debug("waiting for the temporary server: %s", exc)
