"""compact masters: each record's master MARC stored compactly instead of as MARC-in-JSON

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:00:00

``records.marc`` (MARC-in-JSON text, 2.45 KB a record on average) becomes
``records.master``: the same decoded record in the compact form of
``shelfwise.marc.compact`` (zlib of a field-text form, about 0.4 KB). Existing rows
are converted here, in pages of 500, in Python: the JSON is read with the MARC-in-JSON
reader and written with the compact writer, which both engines share. The compact
form starts with a kind byte, so what this migration writes stays readable when a
later form is added. Downgrade writes MARC-in-JSON back.

SQLite adds a NOT NULL column only with a default: the new column gets an empty
default while rows are converted, which PostgreSQL then drops; SQLite keeps it
(dropping it would rebuild the table, and every row is written here anyway).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from shelfwise.marc import compact
from shelfwise.marc.marcjson import dumps as marc_json
from shelfwise.marc.marcjson import record_from_json

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_PAGE = 500


def _to_compact(text: object) -> object:
    loaded = record_from_json(json.loads(str(text)))
    if isinstance(loaded, str):
        raise ValueError(f"a stored master is not MARC-in-JSON: {loaded}")
    return compact.dumps(loaded[0])


def _to_json(stored: object) -> object:
    assert isinstance(stored, bytes | memoryview)
    return marc_json(compact.loads(bytes(stored))).decode("utf-8")


def _convert(source: str, target: str, how: Callable[[object], object]) -> None:
    conn = op.get_bind()
    records = sa.table(
        "records", sa.column("id", sa.BigInteger()), sa.column(source), sa.column(target)
    )
    write = (
        sa.update(records)
        .where(records.c.id == sa.bindparam("row_id"))
        .values({target: sa.bindparam("value")})
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(records.c.id, records.c[source])
            .where(records.c.id > last)
            .order_by(records.c.id)
            .limit(_PAGE)
        ).all()
        if not rows:
            return
        conn.execute(write, [{"row_id": r[0], "value": how(r[1])} for r in rows])
        last = rows[-1][0]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    empty = sa.text("x''") if sqlite else sa.text("'\\x'::bytea")
    op.add_column(
        "records", sa.Column("master", sa.LargeBinary(), nullable=False, server_default=empty)
    )
    _convert("marc", "master", _to_compact)
    if not sqlite:
        op.alter_column("records", "master", server_default=None)
    _drop("marc")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "records", sa.Column("marc", sa.Text(), nullable=False, server_default=sa.text("''"))
    )
    _convert("master", "marc", _to_json)
    if not sqlite:
        op.alter_column("records", "marc", server_default=None)
    _drop("master")


def _drop(column: str) -> None:
    # SQLite (3.35+) drops a plain column in place; batch mode would rebuild the table
    # that every other catalogue table references.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE records DROP COLUMN {column}")
    else:
        op.drop_column("records", column)
