"""Engines, databases and apps for the whole suite, on every backend under test.

SQLite always runs. PostgreSQL runs too when ``REGISTRY_TEST_POSTGRES_URL`` names a server
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``): the run creates its own
databases there (named after the pytest-xdist worker and a random suffix) and drops them at the
end. An unreachable server fails the run; it is never skipped.

Isolation. Each engine has, per test session (per xdist worker), ONE migrated database and ONE
migrated and seeded database, each behind one long-lived connection and one Flask app
(``SharedDatabase``). A test runs inside a transaction on that connection which is rolled back
afterwards; every session the app opens in that test (the test's own ``db.session``, each
request's, each CLI command's) joins the transaction with ``join_transaction_mode=
"create_savepoint"`` (SQLAlchemy's "joining a session into an external transaction"), so the
app's ``commit()`` only releases a SAVEPOINT. On SQLite, pysqlite's own transaction handling is
switched off and SQLAlchemy emits ``BEGIN`` (its documented recipe), so that SAVEPOINTs nest.

A module whose tests share data that is expensive to build (``layer``) builds it once inside an
outer transaction; each of its tests then runs in a SAVEPOINT of its own below it.

A test that needs a database of its own (migrations, threads racing each other, commits seen
from another connection, the schema-state probe of ``/readyz``) asks for ``own_app``,
``own_seeded_app``, or a ``*_database_url``: a copy of a template made once per session.

The process's read cache (``registry.services.read_cache``) is emptied before each test, so that what a
test sees of the statements a read runs never depends on which tests ran before it in that worker.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url

from registry import create_app
from registry.extensions import db
from registry.services import read_cache

POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# --- Hypothesis (and so schemathesis): the same draws on every machine, unless fuzzing -------------------------

#: ``make fuzz`` sets REGISTRY_FUZZ=1: fresh randomness and more examples (REGISTRY_FUZZ_EXAMPLES).
FUZZ = os.environ.get("REGISTRY_FUZZ") == "1"
# too_slow is a timing check: on a loaded machine it would fail a run that another machine passes.
_QUIET_CHECKS = [HealthCheck.too_slow]
settings.register_profile(
    "registry", derandomize=True, database=None, max_examples=30, deadline=None,
    suppress_health_check=_QUIET_CHECKS, print_blob=False,
)
settings.register_profile(
    "registry-fuzz", derandomize=False, database=None,
    max_examples=int(os.environ.get("REGISTRY_FUZZ_EXAMPLES", "200")), deadline=None,
    suppress_health_check=_QUIET_CHECKS, print_blob=True,
)
settings.load_profile("registry-fuzz" if FUZZ else "registry")


def pytest_report_header(config: pytest.Config) -> str:
    mode = f"fuzzing, REGISTRY_FUZZ_SEED={os.environ.get('REGISTRY_FUZZ_SEED')}" if FUZZ else "derandomized"
    return f"registry: backends {', '.join(BACKENDS)}; {mode}"


# --- Servers, apps, templates ------------------------------------------------------------------------------------


class PostgresServer:
    """Creates and drops this run's databases on the server named by the environment."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.prefix = f"registry_test_{WORKER}_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:  # fails the run at once if unreachable
            connection.execute(text("SELECT 1"))

    def create(self, suffix: str, template: str | None = None) -> URL:
        name = f"{self.prefix}_{suffix}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return self.url.set(database=name)

    def drop(self, name: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(name)
        self._admin.dispose()


@pytest.fixture(autouse=True)
def _empty_read_cache() -> None:
    read_cache.clear()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    if not POSTGRES_URL:
        yield None
        return
    server = PostgresServer(POSTGRES_URL)
    yield server
    server.close()


def make_app(database_url: str | URL, **config: Any) -> Flask:
    if isinstance(database_url, URL):
        database_url = database_url.render_as_string(hide_password=False)
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **config})


def dispose(app: Flask) -> None:
    """Close what ``app`` holds open: its sessions and its engine's connections."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _upgrade(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()


def _seed(app: Flask) -> None:
    from registry.services.seeding import load_seeds, read_seeds

    with app.app_context():
        load_seeds(db.session, read_seeds(SEEDS_DIR))
        db.session.commit()
        db.engine.dispose()


class Templates:
    """Migrated (and migrated + seeded) databases made once per run, copied for the databases tests use."""

    def __init__(self, tmp: Path, postgres: PostgresServer | None):
        self.tmp = tmp
        self.postgres = postgres
        self._made: dict[tuple[str, bool], str | URL] = {}

    def get(self, backend: str, seeded: bool) -> str | URL:
        key = (backend, seeded)
        if key not in self._made:
            if backend == "sqlite":
                url: str | URL = f"sqlite:///{self.tmp / ('seeded' if seeded else 'migrated')}.sqlite3"
            else:
                assert self.postgres is not None
                url = self.postgres.create("seeded" if seeded else "migrated")
            app = make_app(url)
            _upgrade(app)
            if seeded:
                _seed(app)
            dispose(app)
            self._made[key] = url
        return self._made[key]


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer | None) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"), postgres)


def copy_database(
    backend: str, template: str | URL, directory: Path, postgres: PostgresServer | None, name: str = "registry"
) -> str | URL:
    """A new database holding what ``template`` holds (a file copy, or CREATE DATABASE ... TEMPLATE)."""
    if backend == "sqlite":
        target = directory / f"{name}.sqlite3"
        shutil.copyfile(str(template).removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"
    assert postgres is not None and isinstance(template, URL)
    return postgres.create(f"{name.replace('-', '_')}_{uuid.uuid4().hex[:8]}", template=template.database)


def drop_database(url: str | URL, postgres: PostgresServer | None) -> None:
    """Drop a PostgreSQL copy (a SQLite copy lives in a temporary folder pytest cleans)."""
    if isinstance(url, URL) and postgres is not None:
        postgres.drop(url.database or "")


# --- Sessions joined into a test's transaction -------------------------------------------------------------------

#: app -> the connection every session of that app must use (the apps of ``SharedDatabase``).
_BINDINGS: dict[Flask, Connection] = {}


class _JoinedSession(FlaskSession):
    """Flask-SQLAlchemy's session, bound to the test's connection when its app is a shared one.

    Flask-SQLAlchemy 3.1 chooses the bind itself (``db.engines``), ignoring a ``bind`` given to the
    session; so the choice is made here, for the apps in ``_BINDINGS`` only. Any other app (an app on
    a database of its own) gets its engine as usual.
    """

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any) -> Engine | Connection:
        if bind is None:
            connection = _BINDINGS.get(current_app._get_current_object())  # type: ignore[attr-defined]
            if connection is not None:
                if not connection.in_transaction():
                    raise RuntimeError("a shared test database was used outside of a test's transaction")
                return connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db.session.session_factory.class_ = _JoinedSession
db.session.session_factory.configure(join_transaction_mode="create_savepoint")


def _sqlite_savepoints(engine: Engine) -> None:
    """SQLAlchemy's recipe for working SAVEPOINTs on pysqlite: it emits BEGIN itself."""

    @event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


class SharedDatabase:
    """One database of the session (per engine, per kind), one app on it, one connection every test joins."""

    def __init__(self, backend: str, url: str | URL) -> None:
        self.backend = backend
        self.url = url
        if backend == "sqlite":
            # Write-ahead logging: a reader on another connection (db.engine.connect(), as /readyz and the CLI's
            # schema check do) is never blocked by the test's open transaction.
            setup = create_engine(url)
            with setup.connect() as connection:
                mode = connection.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
            setup.dispose()
            assert mode == "wal", mode
        self.app = make_app(url)
        with self.app.app_context():
            self.engine = db.engine
        if backend == "sqlite":
            _sqlite_savepoints(self.engine)
        self.connection = self.engine.connect()
        _BINDINGS[self.app] = self.connection
        self._layers: list[str] = []

    @contextmanager
    def transaction(self, request: pytest.FixtureRequest | None = None) -> Iterator[Flask]:
        """A transaction (a SAVEPOINT below a layer) around one test; rolled back at the end, whatever happened."""
        if self._layers:
            owner = self._layers[-1]
            if request is not None and owner not in request.fixturenames:
                raise RuntimeError(
                    f"{request.node.nodeid} would run inside {owner!r}'s data without asking for it: "
                    f"request {owner!r}, or move the test to a module without that layer"
                )
            outer = self.connection.begin_nested()
        else:
            if self.connection.in_transaction():
                raise RuntimeError("the shared connection was left in a transaction by an earlier test")
            outer = self.connection.begin()
        try:
            yield self.app
        finally:
            if outer.is_active:
                outer.rollback()
            if not self._layers and self.connection.in_transaction():
                raise RuntimeError("a test left the shared connection in a transaction")

    @contextmanager
    def layer(self, owner: str, build: Callable[[], None] | None = None) -> Iterator[Flask]:
        """Data shared by a module's tests: ``build`` runs (in an app context) in an outer transaction."""
        if self._layers:
            raise RuntimeError(f"{owner!r} would be built inside {self._layers[-1]!r}")
        with self.transaction():
            if build is not None:
                with self.app.app_context():
                    build()
            self._layers.append(owner)
            try:
                yield self.app
            finally:
                self._layers.pop()

    @contextmanager
    def configured_app(self, **config: Any) -> Iterator[Flask]:
        """A new app with its own configuration, on this database's connection (so, in the running test)."""
        app = make_app(self.url, **config)
        _BINDINGS[app] = self.connection
        try:
            yield app
        finally:
            del _BINDINGS[app]
            dispose(app)

    def close(self) -> None:
        del _BINDINGS[self.app]
        self.connection.close()
        dispose(self.app)


class SharedDatabases:
    """The session's shared databases, made on first use: ``get(backend, "migrated" | "seeded" | "empty")``.

    "empty" is a second migrated database, for tests that copy from one empty registry into another.
    """

    def __init__(self, templates: Templates, tmp: Path, postgres: PostgresServer | None) -> None:
        self.templates = templates
        self.tmp = tmp
        self.postgres = postgres
        self._made: dict[tuple[str, str], SharedDatabase] = {}

    def get(self, backend: str, kind: str) -> SharedDatabase:
        key = (backend, kind)
        if key not in self._made:
            template = self.templates.get(backend, seeded=kind == "seeded")
            url = copy_database(backend, template, self.tmp, self.postgres, name=f"shared-{kind}")
            self._made[key] = SharedDatabase(backend, url)
        return self._made[key]

    def of(self, app: Flask) -> SharedDatabase:
        return next(shared for shared in self._made.values() if shared.app is app)

    def close(self) -> None:
        for shared in self._made.values():
            shared.close()
            drop_database(shared.url, self.postgres)
        self._made.clear()


@pytest.fixture(scope="session")
def databases(
    templates: Templates, tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer | None
) -> Iterator[SharedDatabases]:
    shared = SharedDatabases(templates, tmp_path_factory.mktemp("shared"), postgres)
    yield shared
    shared.close()


def layer(
    request: pytest.FixtureRequest, databases: SharedDatabases, kind: str, build: Callable[[], None] | None = None
) -> Iterator[Flask]:
    """For a module-scoped fixture parametrised over ``BACKENDS``: the shared ``kind`` database plus what
    ``build`` adds, for the module's tests; each test then asks for ``isolated`` (its own SAVEPOINT)."""
    with databases.get(request.param, kind).layer(request.fixturename, build) as app:
        yield app


@contextmanager
def isolated(databases: SharedDatabases, app: Flask, request: pytest.FixtureRequest | None = None) -> Iterator[Flask]:
    """One test (or one generated case) on a layer's app, in a SAVEPOINT rolled back after it."""
    with databases.of(app).transaction(request) as same:
        yield same


# --- The fixtures tests ask for -------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def migrated_db(backend: str, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[SharedDatabase]:
    shared = databases.get(backend, "migrated")
    with shared.transaction(request):
        yield shared


@pytest.fixture
def seeded_db(backend: str, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[SharedDatabase]:
    shared = databases.get(backend, "seeded")
    with shared.transaction(request):
        yield shared


@pytest.fixture
def app(migrated_db: SharedDatabase) -> Flask:
    """The shared app on the migrated, empty database, in this test's transaction."""
    return migrated_db.app


@pytest.fixture
def seeded_app(seeded_db: SharedDatabase) -> Flask:
    """The shared app on the migrated database holding the seeds, in this test's transaction."""
    return seeded_db.app


@pytest.fixture
def configured_seeded_app(seeded_db: SharedDatabase) -> Iterator[Callable[..., Flask]]:
    """``make(**config)``: a new app with that configuration on the seeded database, in this test's transaction."""
    with ExitStack() as stack:
        yield lambda **config: stack.enter_context(seeded_db.configured_app(**config))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# --- Databases of their own ---------------------------------------------------------------------------------------


@pytest.fixture
def fresh_database_url(backend: str, tmp_path: Path, postgres: PostgresServer | None) -> Iterator[str | URL]:
    """An empty database (no tables at all) on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    assert postgres is not None
    url = postgres.create(uuid.uuid4().hex[:8])
    yield url
    postgres.drop(url.database or "")


def _own_copy(
    backend: str, template: str | URL, tmp_path: Path, postgres: PostgresServer | None, name: str
) -> Iterator[str | URL]:
    url = copy_database(backend, template, tmp_path, postgres, name=name)
    yield url
    drop_database(url, postgres)


@pytest.fixture
def migrated_database_url(
    backend: str, templates: Templates, tmp_path: Path, postgres: PostgresServer | None
) -> Iterator[str | URL]:
    """A migrated, empty database of this test's own."""
    yield from _own_copy(backend, templates.get(backend, seeded=False), tmp_path, postgres, "own-migrated")


@pytest.fixture
def seeded_database_url(
    backend: str, templates: Templates, tmp_path: Path, postgres: PostgresServer | None
) -> Iterator[str | URL]:
    """A migrated database holding the seeds, of this test's own."""
    yield from _own_copy(backend, templates.get(backend, seeded=True), tmp_path, postgres, "own-seeded")


def _app_on(url: str | URL, **config: Any) -> Iterator[Flask]:
    app = make_app(url, **config)
    yield app
    dispose(app)


@pytest.fixture
def own_app(migrated_database_url: str | URL) -> Iterator[Flask]:
    """A new app on a migrated, empty database of its own: commits are real."""
    yield from _app_on(migrated_database_url)


@pytest.fixture
def own_seeded_app(seeded_database_url: str | URL) -> Iterator[Flask]:
    """A new app on a seeded database of its own: commits are real, other connections see them."""
    yield from _app_on(seeded_database_url)
