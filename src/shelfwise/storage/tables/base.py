"""The one MetaData every table joins, its naming convention, and the shared column kinds."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# BigInteger ids on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
Id = BigInteger().with_variant(Integer(), "sqlite")


def ts(name: str, *, nullable: bool = False) -> Column[object]:
    """A UTC timestamp to the second."""
    return Column(name, DateTime(timezone=True), nullable=nullable)
