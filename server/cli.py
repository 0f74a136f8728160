"""The `stonks` command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import uvicorn
from pydantic import ValidationError

from server import migrations
from server.services import resolved_services
from server.settings import Settings

if TYPE_CHECKING:
    from starlette.applications import Starlette

logger = logging.getLogger("stonks")

_WORKER_STOP_TIMEOUT_S = 20


class AlreadyRunningError(RuntimeError):
    pass


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@contextlib.contextmanager
def _single_instance(data_dir: Path) -> Iterator[None]:
    """Holds an exclusive lock on the data directory for the life of `stonks up`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock_path = data_dir / "stonks.lock"
    with lock_path.open("a+") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            holder = lock_file.read().strip() or "unknown"
            raise AlreadyRunningError(
                f"stonks is already running on data directory {data_dir} (pid {holder}); "
                "stop it first, or set DATA_DIR to run a second, separate instance"
            ) from None
        _write_pid(lock_file)
        yield


def _write_pid(lock_file: TextIO) -> None:
    lock_file.seek(0)
    lock_file.truncate()
    lock_file.write(str(os.getpid()))
    lock_file.flush()


def _serve(settings: Settings, workers: int = 1) -> None:
    from server.app import create_app

    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level.lower(),
        "proxy_headers": False,
        # uvloop's event loop and httptools' HTTP parser: the fast paths uvicorn offers.
        "loop": "uvloop",
        "http": "httptools",
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Worker processes build their own app from the environment: hand them the
    # servers resolved here (the embedded ones included).
    for name, url in (("DATABASE_URL", settings.database_url), ("REDIS_URL", settings.redis_url)):
        if url is not None:
            os.environ[name] = url.get_secret_value()
    uvicorn.run(
        "server.cli:app_from_environment",
        factory=True,
        workers=workers,
        # A worker is restarted when it misses a health check; starting one (imports,
        # pools) can take longer than uvicorn's 5 s default on a busy machine.
        timeout_worker_healthcheck=60,
        **options,
    )


def app_from_environment() -> Starlette:
    """The app of one `serve --workers N` process (uvicorn calls this in each)."""
    from server.app import create_app

    settings = Settings()
    _configure_logging(settings)
    return create_app(settings)


def _start_worker_process(settings: Settings) -> subprocess.Popen[bytes]:
    assert settings.database_url is not None
    assert settings.redis_url is not None
    env = os.environ | {
        "DATABASE_URL": settings.database_url.get_secret_value(),
        "REDIS_URL": settings.redis_url.get_secret_value(),
    }
    # The worker ignores the terminal's Ctrl-C; `up` stops it itself, after the API.
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", "worker"], env=env, start_new_session=True
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=_WORKER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        logger.warning("worker did not stop within %ss; killing it", _WORKER_STOP_TIMEOUT_S)
        process.kill()
        process.wait()
    except KeyboardInterrupt:
        # A second Ctrl-C while waiting: stop now, as impatient users expect.
        logger.warning("interrupted again; killing the worker")
        process.kill()
        process.wait()


def cmd_up(settings: Settings) -> int:
    with _single_instance(settings.data_dir), resolved_services(settings) as running:
        assert running.database_url is not None
        migrations.upgrade(running.database_url.get_secret_value())
        worker = _start_worker_process(running)
        try:
            logger.info("Minifigure Stonks at http://%s:%s/", settings.host, settings.port)
            _serve(running)
        finally:
            _stop(worker)
    return 0


def cmd_serve(settings: Settings, workers: int = 1) -> int:
    with resolved_services(settings) as running:
        _serve(running, workers)
    return 0


def cmd_worker(settings: Settings, *, check: bool = False) -> int:
    from workers.settings import check_worker_health, create_worker

    if check:
        if settings.redis_url is None:
            sys.stderr.write("stonks: worker --check needs REDIS_URL (the worker's Redis)\n")
            return 2
        return asyncio.run(check_worker_health(settings))

    with resolved_services(settings) as running:
        create_worker(running).run()
    return 0


def cmd_collect(settings: Settings, args: argparse.Namespace) -> int:
    """The collection commands (sync, aggregate, import-fx, import-catalog), run in-process."""
    from workers import commands

    with resolved_services(settings) as running:
        match args.command:
            case "sync":
                failed = asyncio.run(
                    commands.sync(running, sys.stdout, source=args.source, fig_num=args.fig_num)
                )
                return 1 if failed else 0
            case "aggregate":
                asyncio.run(
                    commands.aggregate(
                        running, sys.stdout, first_day=args.first_day, last_day=args.last_day
                    )
                )
            case "import-fx":
                rates = commands.import_fx_rates(args.path)
                asyncio.run(commands.import_fx(running, sys.stdout, rates=rates, path=args.path))
            case "import-catalog":
                catalog = commands.read_catalog(args.directory, args.crosswalk)
                asyncio.run(
                    commands.import_catalog(
                        running, sys.stdout, catalog=catalog, directory=args.directory
                    )
                )
    return 0


def _add_collection_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser("sync", help="collect prices now (all configured sources)")
    sync.add_argument("--source", help="only this source (bricklink, ebay, brickowl, demo)")
    sync.add_argument("--fig-num", help="only this minifigure, e.g. sw0001a")
    aggregate = commands.add_parser("aggregate", help="recompute daily snapshots for a day range")
    aggregate.add_argument("--from", dest="first_day", type=date.fromisoformat, required=True)
    aggregate.add_argument("--to", dest="last_day", type=date.fromisoformat, required=True)
    import_fx = commands.add_parser("import-fx", help="import ECB reference rates (XML file)")
    import_fx.add_argument("path", type=Path, help="eurofxref-daily.xml or eurofxref-hist.xml")
    catalog = commands.add_parser("import-catalog", help="import Rebrickable CSV downloads")
    catalog.add_argument("directory", type=Path, help="directory with minifigs.csv(.gz) etc.")
    catalog.add_argument("--crosswalk", type=Path, help="CSV rebrickable_id,bricklink_id")


def cmd_migrate(settings: Settings, downgrade_to: str | None) -> int:
    with resolved_services(settings) as running:
        assert running.database_url is not None
        url = running.database_url.get_secret_value()
        if downgrade_to is None:
            migrations.upgrade(url)
        else:
            migrations.downgrade(url, downgrade_to)
    return 0


def cmd_export_schema() -> int:
    from server.graphql.schema import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stonks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (
        ("up", "run everything: database, Redis, migrations, API and worker"),
        ("serve", "run the API server only"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--host", help="address to listen on (default 127.0.0.1)")
        command.add_argument("--port", type=int, help="port to listen on (default 8000)")
        if name == "serve":
            command.add_argument(
                "--workers",
                type=int,
                default=1,
                help="API processes sharing the port, e.g. one per core (default 1)",
            )
    worker = commands.add_parser("worker", help="run the background worker only")
    worker.add_argument(
        "--check", action="store_true", help="exit 0 if a worker is alive on the queue, else 1"
    )
    migrate = commands.add_parser("migrate", help="upgrade the database schema to the latest")
    migrate.add_argument("--downgrade", metavar="REVISION", help="downgrade to REVISION instead")
    commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    _add_collection_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "export-schema":
        return cmd_export_schema()
    overrides = {
        key: value for key in ("host", "port") if (value := getattr(args, key, None)) is not None
    }
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        sys.stderr.write(f"stonks: invalid configuration:\n{error}\n")
        return 2
    _configure_logging(settings)
    try:
        match args.command:
            case "up":
                return cmd_up(settings)
            case "serve":
                if args.workers < 1:
                    sys.stderr.write("stonks: --workers must be at least 1\n")
                    return 2
                return cmd_serve(settings, args.workers)
            case "worker":
                return cmd_worker(settings, check=args.check)
            case "migrate":
                return cmd_migrate(settings, args.downgrade)
            case "sync" | "aggregate" | "import-fx" | "import-catalog":
                return cmd_collect(settings, args)
    except AlreadyRunningError as error:
        sys.stderr.write(f"stonks: {error}\n")
        return 1
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
