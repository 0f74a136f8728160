"""The `stonks` command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import getpass
import logging
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import uvicorn
from pydantic import ValidationError

from server import migrations, timescale
from server.log_format import configure_logging
from server.metrics_processes import share_metrics_between_processes
from server.redaction import redact_logs
from server.services import resolved_services
from server.settings import Settings

if TYPE_CHECKING:
    from starlette.applications import Starlette

logger = logging.getLogger("stonks")


class AlreadyRunningError(RuntimeError):
    pass


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
        # The API pings WebSocket clients itself (graphql-transport-ws). uvicorn's own
        # pings would close a stalled client with 1011 after 40 s, and that close would
        # overtake the 4008 that tells it to resume with `since`.
        "ws_ping_interval": None,
        # JSON lines: uvicorn's loggers go through ours instead of its own text handlers.
        "log_config": None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
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
    configure_logging(settings)
    return create_app(settings)


def cmd_up(settings: Settings) -> int:
    from server.up import run_up

    with _single_instance(settings.data_dir):
        share_metrics_between_processes(settings.data_dir)
        run_up(settings, _serve)
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

    from server.operations import serve_metrics_port

    with resolved_services(settings) as running:
        serve_metrics_port(running)
        create_worker(running).run()
    return 0


def cmd_collect(settings: Settings, args: argparse.Namespace) -> int:
    """The collection commands (sync, aggregate, reprocess, import-fx, import-catalog)."""
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
            case "reprocess":
                asyncio.run(
                    commands.reprocess(
                        running,
                        sys.stdout,
                        source=args.source,
                        first_day=args.first_day,
                        last_day=args.last_day,
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
    reprocess = commands.add_parser(
        "reprocess", help="re-run the pipeline on stored raw payloads and recompute snapshots"
    )
    reprocess.add_argument("--source", required=True, help="data source code, e.g. ebay")
    reprocess.add_argument("--from", dest="first_day", type=date.fromisoformat, required=True)
    reprocess.add_argument("--to", dest="last_day", type=date.fromisoformat, required=True)
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
            migrations.upgrade(url, settings=running)
            policies = timescale.ListingPolicies.from_settings(running)
            if asyncio.run(timescale.reapply_listing_policies(url, policies)):
                logger.info("TimescaleDB policies: %s", policies)
        else:
            migrations.downgrade(url, downgrade_to)
    return 0


def cmd_users(settings: Settings, args: argparse.Namespace) -> int:
    from server.collectors.admin_command import AdminCommandError, create_admin
    from server.db import create_engine, create_session_factory

    def read_password() -> str:
        if args.password_stdin:
            return sys.stdin.readline().rstrip("\n")
        password = getpass.getpass("Password for the new admin: ")
        if password != getpass.getpass("Repeat it: "):
            raise AdminCommandError("the two passwords differ")
        return password

    async def run(running: Settings) -> str:
        engine = create_engine(running)
        try:
            async with create_session_factory(engine)() as session, session.begin():
                return await create_admin(session, args.email, read_password)
        finally:
            await engine.dispose()

    with resolved_services(settings) as running:
        try:
            sys.stdout.write(asyncio.run(run(running)) + "\n")
        except AdminCommandError as error:
            sys.stderr.write(f"stonks: {error}\n")
            return 1
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
    users = commands.add_parser("users", help="manage accounts")
    users_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    create_admin = users_commands.add_parser(
        "create-admin", help="create an admin account (or make an existing account admin)"
    )
    create_admin.add_argument("email")
    create_admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
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
    configure_logging(settings)
    redact_logs(settings)
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
            case "users":
                return cmd_users(settings, args)
            case "sync" | "aggregate" | "reprocess" | "import-fx" | "import-catalog":
                return cmd_collect(settings, args)
    except AlreadyRunningError as error:
        sys.stderr.write(f"stonks: {error}\n")
        return 1
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
