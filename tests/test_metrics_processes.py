"""`stonks up`: the API and the worker count into one exposition (multiprocess mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COUNT_ONE_RUN = """
import sys
from pathlib import Path
from server.metrics_processes import share_metrics_between_processes
share_metrics_between_processes(Path(sys.argv[1]))
from server import metrics
metrics.JOB_RUNS.labels("probe", "succeeded").inc()
sys.stdout.write(metrics.exposition().decode())
"""


def _process(data_dir: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_ONE_RUN, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def test_processes_sharing_the_directory_add_up_and_a_new_run_starts_at_zero(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    stale = tmp_path / "metrics" / "counter_1.db"
    stale.parent.mkdir()
    stale.write_bytes(b"")

    first = _process(tmp_path, env)
    # The second process inherits the directory, as `stonks up`'s worker does.
    shared = env | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    second = _process(tmp_path, shared)

    line = 'stonks_job_runs_total{function="probe",outcome="succeeded"}'
    assert f"{line} 1.0" in first
    assert f"{line} 2.0" in second
    assert not stale.exists()
