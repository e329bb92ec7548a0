"""Apply the migration history (one linear chain of Alembic revisions)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from shelfwise.storage.database import Database

_SCRIPTS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migration history must be linear; found heads {heads}")
    return heads[0]


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, target: str = "head") -> None:
    config = alembic_config()
    with db.engine.connect() as conn:
        conn = conn.execution_options(shelfwise_sqlite_begin="BEGIN IMMEDIATE")
        config.attributes["connection"] = conn
        command.upgrade(config, target)
        conn.commit()


def downgrade(db: Database, target: str) -> None:
    config = alembic_config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, target)
        conn.commit()
