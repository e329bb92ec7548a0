"""PostgreSQL databases for the tests: cloned once from the migrated template, emptied after
each test instead of dropped.

Why not a new database per test: ``DROP DATABASE`` makes the server run a checkpoint, which
writes out every dirty page of every database on it (the other worker's included) and waits
for it, and ``CREATE DATABASE … TEMPLATE`` logs every page of the copy. On the two-core test
machine that was 0.5-1.5 s per PostgreSQL test, and a checkpoint per test (338 of them in the
first 22 minutes of a run). Emptying the test's database back to the template's rows is one
transaction: ``DELETE`` from each table (triggers and foreign-key checks off with
``session_replication_role = replica``, so the order does not matter), the template's few
rows put back, every sequence restarted.

A test may leave what emptying cannot undo: a changed schema (a migration test going down),
or something still running (a web client's scheduler thread it never stopped). Connections
are ended and the database renamed before the reset, so what was left running can reach
neither it nor the next test; a database whose schema no longer matches the template's
fingerprint is dropped, and the next test gets a fresh clone.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

# The schema's fingerprint: every column with its type and every index definition. A test that
# changes any of it leaves a database the next test must not get.
_FINGERPRINT = text(
    """
    SELECT md5(coalesce((SELECT string_agg(table_name || '.' || column_name || ':' || data_type,
                                           ',' ORDER BY table_name, column_name)
                         FROM information_schema.columns WHERE table_schema = 'public'), '')
               || coalesce((SELECT string_agg(indexdef, ',' ORDER BY indexname)
                            FROM pg_indexes WHERE schemaname = 'public'), ''))
    """
)


class _Reset:
    """What emptying a clone back to the template takes, read once from the template."""

    def __init__(self, conn: Connection) -> None:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        self.tables = [str(name) for name in tables]
        self.rows: dict[str, list[dict[str, Any]]] = {}
        for table in self.tables:
            found = conn.execute(text(f'SELECT * FROM "{table}"')).mappings().all()
            if found:
                self.rows[table] = [dict(row) for row in found]
        sequences = conn.execute(
            text("SELECT schemaname, sequencename, start_value FROM pg_sequences")
        ).all()
        self.sequences = [(f'"{schema}"."{name}"', int(start)) for schema, name, start in sequences]
        self.fingerprint = str(conn.execute(_FINGERPRINT).scalar_one())

    def empty(self, conn: Connection) -> None:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in self.tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
        for table, rows in self.rows.items():
            columns = list(rows[0])
            names = ", ".join(f'"{c}"' for c in columns)
            values = ", ".join(f":{c}" for c in columns)
            conn.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({values})'), rows)
        for sequence, start in self.sequences:
            conn.execute(
                text("SELECT setval(CAST(:s AS regclass), :v, false)"), {"s": sequence, "v": start}
            )


class ReusedDatabases:
    """This test process's clones of the template: taken by a test, emptied, given back."""

    def __init__(self, admin_url: str, template: str) -> None:
        # Connections to the clones are not pooled: each reset first ends every connection
        # to its database, ours included.
        self._admin_url = admin_url
        self._template = template
        self._admin: Engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self._free: list[str] = []
        self._all: set[str] = set()
        self._numbers = itertools.count(1)
        self._engines: dict[str, Engine] = {}
        with self._engine(template).connect() as conn:
            self._reset = _Reset(conn)

    def url(self, name: str) -> str:
        return make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)

    def take(self) -> str:
        if self._free:
            return self._free.pop()
        name = self._new_name()
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"'))
        self._all.add(name)
        return name

    def give_back(self, name: str) -> None:
        """Empty the test's database under a new name: whatever the test left running (a
        scheduler thread of a web client it never closed, a server it did not stop) keeps the
        old name and can reach neither this database nor the next test's data."""
        renamed = self._rename(name)
        if renamed is None:
            self._drop(name)
            return
        try:
            with self._engine(renamed).begin() as conn:
                same_schema = (
                    str(conn.execute(_FINGERPRINT).scalar_one()) == self._reset.fingerprint
                )
                if same_schema:
                    self._reset.empty(conn)
        except SQLAlchemyError:
            # Not ours to empty (a server role that may not turn triggers off, a database the
            # test broke): a fresh clone for the next test instead.
            same_schema = False
        if same_schema:
            self._free.append(renamed)
        else:
            self._drop(renamed)

    def _new_name(self) -> str:
        # Named like the template (``shelfwise_tp…_<pid>``) so that a later run drops it if
        # this process is killed before it can.
        return f"shelfwise_tp{next(self._numbers)}_{self._template.split('_', 2)[2]}"

    def _rename(self, name: str) -> str | None:
        """End every connection to ``name`` and rename it; None if something kept
        reconnecting (the database is then dropped instead)."""
        renamed = self._new_name()
        for _ in range(5):
            with self._admin.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                try:
                    conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{renamed}"'))
                except SQLAlchemyError:
                    continue  # a connection came back between the two statements
            self._all.discard(name)
            self._all.add(renamed)
            engine = self._engines.pop(name, None)
            if engine is not None:
                engine.dispose()
            return renamed
        return None

    def drop_all(self) -> None:
        for name in list(self._all):
            self._drop(name)
        self._admin.dispose()

    def _engine(self, name: str) -> Engine:
        if name not in self._engines:
            self._engines[name] = create_engine(self.url(name), poolclass=NullPool)
        return self._engines[name]

    def _drop(self, name: str) -> None:
        engine = self._engines.pop(name, None)
        if engine is not None:
            engine.dispose()
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._all.discard(name)
