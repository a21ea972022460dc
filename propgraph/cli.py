"""The ``propgraph`` command line: demo, serve, migrate, seed, users, token, schema."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import re
import secrets
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from propgraph.authz.permissions import SCHEMA_ROLES

T = TypeVar("T")
DEV_SECRET_FILE = ".propgraph-dev-secret"
CONNECT_TIMEOUT_SECONDS = 15
DEMO_ROLES = (
    "CITY",
    "DISTRICT",
    "STREET",
    "COMMUNITY",
    "ENTERPRISE",
    "MANAGER",
    "OWNER",
    "DELEGATE",
)


class DatabaseUnreachable(Exception):
    """The database URL is malformed, or nothing answers at it; the message says which."""


def _run(make: Callable[[], Awaitable[T]]) -> T:
    try:
        return asyncio.run(make())  # type: ignore[arg-type]
    except DatabaseUnreachable as exc:
        _fail(str(exc))


def _settings() -> Any:
    from propgraph.settings import get_settings

    return get_settings()


def _fail(message: str) -> NoReturn:
    click.echo(f"propgraph: {message}", err=True)
    sys.exit(1)


def _shown(url: str) -> str:
    """The URL as it may be printed: without its password."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _first_line(exc: BaseException) -> str:
    reason = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    lines = str(reason).strip().splitlines()
    return lines[0] if lines else type(reason).__name__


async def _with_engine(work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work`` with an engine, after one connection proves the database answers.

    A misspelled or unreachable URL then ends in one line (DatabaseUnreachable),
    not in a driver's traceback.
    """
    from sqlalchemy.exc import ArgumentError, InvalidRequestError, NoSuchModuleError

    from propgraph.db import create_engine

    url = _settings().database_url
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, InvalidRequestError, ImportError) as exc:
        raise DatabaseUnreachable(
            f"PROPGRAPH_DATABASE_URL {_shown(url)!r} is not a database URL propgraph can use "
            f"({_first_line(exc)}); write sqlite:///FILE or postgresql://USER@HOST[:PORT]/DB."
        ) from exc
    try:
        _require_sqlite_folder(engine.url, url)
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
                async with engine.connect() as conn:
                    await conn.exec_driver_sql("SELECT 1")
        except Exception as exc:  # only connecting happens here: any failure means "cannot"
            reason = (
                f"no answer within {CONNECT_TIMEOUT_SECONDS} s"
                if isinstance(exc, TimeoutError)
                else _first_line(exc)
            )
            raise DatabaseUnreachable(
                f"cannot connect to the database {_shown(url)}: {reason}"
            ) from exc
        return await work(engine)
    finally:
        await engine.dispose()


def _require_sqlite_folder(parsed: Any, url: str) -> None:
    # Checked here because aiosqlite, failing to open a file, may report it
    # from its worker thread after the event loop has closed.
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    folder = Path(database).parent
    if not folder.is_dir():
        raise DatabaseUnreachable(
            f"cannot open the database {_shown(url)}: there is no folder {str(folder)!r}."
        )


def _require_free_port(host: str, port: int) -> None:
    """Fail in one line, before any work, when the address cannot be served."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        _fail(f"cannot serve on {host}: {exc.strerror}.")
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                _fail(
                    f"port {port} on {host} is already in use: stop what is serving there, "
                    f"or pick another port with --port {port + 1}."
                )
            _fail(f"cannot serve on {host}:{port}: {exc.strerror}.")


async def _migrate(engine: Any) -> None:
    from propgraph.authz.policy import install_default_policy
    from propgraph.migrate import upgrade

    await upgrade(engine)
    await install_default_policy(engine)


async def _require_current(engine: Any) -> None:
    from propgraph.migrate import DatabaseNotReady, ensure_current

    try:
        await ensure_current(engine)
    except DatabaseNotReady as exc:
        _fail(str(exc))


@click.group()
@click.version_option(package_name="propgraph")
def main() -> None:
    """propgraph: the GraphQL gateway of the property-management supervision platform."""
    from propgraph.settings import get_settings

    get_settings.cache_clear()  # each command reads the environment as it is now


@main.command()
def migrate() -> None:
    """Upgrade the database to the latest migration (and install the default policy)."""
    _run(lambda: _with_engine(_migrate))
    click.echo("The database is up to date.")


@main.command()
@click.option(
    "--scale", type=click.Choice(["tiny", "small", "city"]), default="tiny", show_default=True
)
@click.option("--random-seed", type=int, default=20200220, show_default=True)
@click.option("--reset", is_flag=True, help="Delete existing data first.")
def seed(scale: str, random_seed: int, reset: bool) -> None:
    """Load a deterministic dataset with demo accounts for every role."""
    from propgraph.datasets import DatabaseNotEmpty
    from propgraph.datasets import seed as seed_dataset

    async def work(engine: Any) -> Any:
        await _require_current(engine)
        return await seed_dataset(engine, scale, random_seed=random_seed, reset=reset)

    try:
        summary = _run(lambda: _with_engine(work))
    except DatabaseNotEmpty as exc:
        _fail(str(exc))
    click.echo(
        f"Seeded the {scale} dataset: " + ", ".join(f"{n:,} {t}" for t, n in summary.counts.items())
    )


@main.command("refresh-stats")
def refresh_stats() -> None:
    """Recount the drill-down rollups (node_stats) after changing the graph outside propgraph."""
    from propgraph.resolvers.graph.rollups import refresh_node_stats

    async def work(engine: Any) -> int:
        await _require_current(engine)
        async with engine.begin() as conn:
            return await refresh_node_stats(conn)

    click.echo(f"Recounted {_run(lambda: _with_engine(work)):,} hierarchy nodes.")


@main.command()
@click.option("--role", type=click.Choice(DEMO_ROLES, case_sensitive=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def users(role: str | None, as_json: bool) -> None:
    """List accounts with their role, position and scope."""
    from propgraph.accounts import list_accounts

    async def work(engine: Any) -> Any:
        await _require_current(engine)
        return await list_accounts(engine, role.upper() if role else None)

    for account in _run(lambda: _with_engine(work)):
        if as_json:
            click.echo(json.dumps(account.as_json(), ensure_ascii=False))
        else:
            disabled = "  (disabled)" if account.disabled else ""
            click.echo(
                f"{account.username:40} {account.role:10} {account.position or '':5} "
                f"{account.scope_name or ''}{disabled}"
            )


@main.command()
@click.argument("username")
@click.option("--ttl", type=int, default=None, help="Lifetime in seconds (default 8 hours).")
def token(username: str, ttl: int | None) -> None:
    """Print a signed bearer token for USERNAME."""
    from propgraph.accounts import list_accounts
    from propgraph.tokens import SigningNotConfigured, TokenCodec

    settings = _signing_settings()
    lifetime = settings.token_ttl_seconds if ttl is None else ttl
    if lifetime <= 0:
        _fail(f"--ttl must be a positive number of seconds, not {lifetime}.")
    try:
        codec = TokenCodec.from_settings(settings)
    except SigningNotConfigured as exc:
        _fail(str(exc))

    async def work(engine: Any) -> Any:
        await _require_current(engine)
        return await list_accounts(engine, username=username)

    found = _run(lambda: _with_engine(work))
    if not found:
        _fail(f"no account named {username!r}.")
    if found[0].disabled:
        _fail(f"the account {username!r} is disabled.")
    try:
        click.echo(codec.issue(username, lifetime))
    except SigningNotConfigured as exc:
        _fail(str(exc))


def _signing_settings() -> Any:
    """The settings; with no key configured, the secret `propgraph demo` keeps in this folder.

    Tokens minted after `propgraph demo` in the same folder then work against it.
    """
    settings = _settings()
    path = Path(DEV_SECRET_FILE)
    if settings.jwt_secret or settings.jwt_public_key or not path.is_file():
        return settings
    return settings.model_copy(update={"jwt_secret": path.read_text().strip()})


@main.command()
@click.option(
    "--role",
    type=click.Choice(SCHEMA_ROLES, case_sensitive=False),
    default="PUBLIC",
    show_default=True,
)
def schema(role: str) -> None:
    """Print the GraphQL SDL served to ROLE (PUBLIC: no token)."""
    from propgraph.schema.build import build_role_schemas

    enforcer = _run(_served_policy)
    _, schemas = build_role_schemas(enforcer)
    click.echo(str(schemas[role.upper()]))


async def _served_policy() -> Any:
    """The policy in the database if it is there and current; else the shipped default."""
    from sqlalchemy.engine import make_url

    from propgraph.authz.policy import default_enforcer, load_enforcer
    from propgraph.migrate import DatabaseNotReady, ensure_current

    url = make_url(_settings().database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return default_enforcer()

    async def work(engine: Any) -> Any:
        try:
            await ensure_current(engine)
        except DatabaseNotReady:
            return default_enforcer()
        return await load_enforcer(engine)

    try:
        return await _with_engine(work)
    except DatabaseUnreachable:
        return default_enforcer()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--workers", type=int, default=1, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve an existing, migrated database (production mode; no demo data)."""
    import uvicorn

    from propgraph.logs import configure_logging
    from propgraph.tokens import SigningNotConfigured, TokenCodec

    settings = _settings()
    try:
        TokenCodec.from_settings(settings)
    except SigningNotConfigured as exc:
        _fail(f"refusing to serve: {exc}")
    _require_free_port(host, port)
    _run(lambda: _with_engine(_require_current))
    configure_logging(settings.log_level, settings.log_json, settings.access_log)
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Worker processes share metrics through files (prometheus-client).
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="propgraph-metrics-")
    uvicorn.run(
        "propgraph.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        access_log=settings.access_log,
    )


def _dev_secret() -> str:
    """The demo's signing secret: the configured one, or one kept in the working folder."""
    configured: str | None = _settings().jwt_secret  # the environment or .env
    if configured:
        return configured
    path = Path(DEV_SECRET_FILE)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--scale", type=click.Choice(["tiny", "small"]), default="small", show_default=True)
def demo(host: str, port: int, scale: str) -> None:
    """Migrate, load the demo data if the database is empty, print tokens, and serve."""
    import uvicorn

    from propgraph.accounts import has_accounts, list_accounts
    from propgraph.app import create_app
    from propgraph.clock import local_date, system_clock
    from propgraph.datasets import seed as seed_dataset
    from propgraph.datasets.demo import demo_chain
    from propgraph.logs import configure_logging
    from propgraph.playground import demo_accounts
    from propgraph.settings import get_settings
    from propgraph.tokens import SigningNotConfigured, TokenCodec

    _require_free_port(host, port)  # before anything is printed or written
    os.environ["PROPGRAPH_JWT_SECRET"] = _dev_secret()
    get_settings.cache_clear()
    settings = get_settings()
    try:
        codec = TokenCodec.from_settings(settings)
    except SigningNotConfigured as exc:
        _fail(str(exc))

    async def prepare(engine: Any) -> Any:
        await _migrate(engine)
        if not await has_accounts(engine):
            click.echo(f"Loading the {scale} demo dataset (first run only)…")
            await seed_dataset(engine, scale)
        return await list_accounts(engine), await demo_chain(engine, local_date(system_clock()))

    accounts, chain = _run(lambda: _with_engine(prepare))
    # A few accounts of every role for the playground's picker; one of each printed here:
    # the enterprise, manager and offices of one project (README's subsidy walk-through).
    offered = demo_accounts(
        accounts, lambda username: codec.issue(username, 7 * 24 * 3600), first=chain.values()
    )
    picked = [
        next(entry for entry in offered if entry["role"] == role)
        for role in DEMO_ROLES
        if any(entry["role"] == role for entry in offered)
    ]
    base = f"http://{host}:{port}"
    click.echo(f"\npropgraph demo on {_shown(settings.database_url)}\n")
    click.echo(f"  Playground: {base}/playground   (pick an account at the top)")
    click.echo(f"  Dashboard:  {base}/dashboard")
    click.echo(f"  GraphQL:    {base}/graphql\n")
    click.echo("Tokens (valid 7 days; send as `Authorization: Bearer <token>`):")
    for entry in picked:
        scope = f"  ({entry['scope_name']})" if entry.get("scope_name") else ""
        click.echo(
            f"  {entry['role']:10} {entry['username']}{scope}\n             {entry['token']}"
        )
    click.echo("")
    configure_logging(settings.log_level, settings.log_json, settings.access_log)
    app = create_app(settings, demo_accounts=offered)
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=settings.access_log)


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.pass_context
def bench(ctx: click.Context) -> None:
    """Benchmark the served gateway against hand-written SQL (bench/run.py; see --help)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "bench" / "run.py").exists():
        _fail("bench needs a source checkout: bench/run.py is not next to this package.")
    sys.path.insert(0, str(root))
    from bench.run import main as run_bench

    sys.exit(run_bench(ctx.args))


if __name__ == "__main__":
    main()
