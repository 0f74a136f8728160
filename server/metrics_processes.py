"""One Prometheus exposition for the processes of `stonks up` (API and worker).

prometheus-client chooses per-process or shared (multiprocess) storage when it is first
imported, from PROMETHEUS_MULTIPROC_DIR: this module must not import it, and runs first.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def share_metrics_between_processes(data_dir: Path) -> Path:
    """Points this process and its children at one fresh metrics directory (unless set)."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        return Path(given)
    directory = data_dir / "metrics"
    # Files of an earlier run would add their stale counts to this one's.
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory
