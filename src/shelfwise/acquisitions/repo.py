"""Acquisitions' SQL (private to acquisitions/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from shelfwise.storage.tables import (
    branches,
    funds,
    invoices,
    items,
    line_items,
    order_lines,
    orders,
    vendors,
)


def branch_id(conn: Connection, code: str) -> int | None:
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    return None if found is None else int(found)


def insert_vendor(conn: Connection, **values: Any) -> None:
    conn.execute(insert(vendors).values(**values))


def vendor_row(conn: Connection, code: str) -> Row[Any] | None:
    return conn.execute(select(vendors).where(vendors.c.code == code)).first()


def update_vendor(conn: Connection, vendor_id: int, **values: Any) -> None:
    conn.execute(update(vendors).where(vendors.c.id == vendor_id).values(**values))


def vendor_rows(conn: Connection) -> Sequence[Row[Any]]:
    return conn.execute(select(vendors).order_by(vendors.c.code)).all()


def _fund_select() -> Any:
    return select(funds, branches.c.code.label("branch_code")).join(
        branches, branches.c.id == funds.c.branch_id
    )


def fund_row(conn: Connection, code: str, year: int) -> Row[Any] | None:
    return conn.execute(_fund_select().where(funds.c.code == code, funds.c.year == year)).first()


def fund_by_id(conn: Connection, fund_id: int) -> Row[Any]:
    return conn.execute(_fund_select().where(funds.c.id == fund_id)).one()


def fund_rows(conn: Connection, year: int) -> Sequence[Row[Any]]:
    return conn.execute(
        _fund_select().where(funds.c.year == year).order_by(branches.c.code, funds.c.code)
    ).all()


def insert_fund(conn: Connection, **values: Any) -> None:
    conn.execute(insert(funds).values(**values))


def set_allocation(conn: Connection, fund_id: int, cents: int) -> bool:
    """A new budget, refused (False) below what is committed and spent already."""
    done = conn.execute(
        update(funds)
        .where(funds.c.id == fund_id, funds.c.committed_cents + funds.c.spent_cents <= cents)
        .values(allocated_cents=cents)
    )
    return bool(done.rowcount)


def commit(conn: Connection, fund_id: int, cents: int) -> bool:
    """Commit ``cents`` if the fund has them; one conditional UPDATE (row-locked), so two
    orders at once cannot both take the last of a budget."""
    done = conn.execute(
        update(funds)
        .where(
            funds.c.id == fund_id,
            funds.c.allocated_cents - funds.c.committed_cents - funds.c.spent_cents >= cents,
        )
        .values(committed_cents=funds.c.committed_cents + cents)
    )
    return bool(done.rowcount)


def release(conn: Connection, fund_id: int, cents: int) -> None:
    conn.execute(
        update(funds)
        .where(funds.c.id == fund_id)
        .values(committed_cents=funds.c.committed_cents - cents)
    )


def spend(conn: Connection, fund_id: int, cents: int) -> None:
    """A received copy: its price moves from committed to spent."""
    conn.execute(
        update(funds)
        .where(funds.c.id == fund_id)
        .values(
            committed_cents=funds.c.committed_cents - cents,
            spent_cents=funds.c.spent_cents + cents,
        )
    )


def adjust_spent(conn: Connection, fund_id: int, delta: int) -> bool:
    done = conn.execute(
        update(funds)
        .where(
            funds.c.id == fund_id,
            funds.c.spent_cents + delta >= 0,
            funds.c.allocated_cents - funds.c.committed_cents - funds.c.spent_cents >= delta,
        )
        .values(spent_cents=funds.c.spent_cents + delta)
    )
    return bool(done.rowcount)


def insert_order(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(orders).values(**values).returning(orders.c.id)).scalar_one())


def insert_line(conn: Connection, **values: Any) -> int:
    return int(
        conn.execute(insert(order_lines).values(**values).returning(order_lines.c.id)).scalar_one()
    )


def insert_line_item(conn: Connection, line_id: int, item_id: int) -> None:
    conn.execute(insert(line_items).values(line_id=line_id, item_id=item_id))


def order_row(conn: Connection, order_id: int, *, lock: bool = False) -> Row[Any] | None:
    query = select(orders, vendors.c.code.label("vendor_code")).join(
        vendors, vendors.c.id == orders.c.vendor_id
    )
    query = query.where(orders.c.id == order_id)
    if lock:
        query = query.with_for_update(of=orders)
    return conn.execute(query).first()


def order_ids(conn: Connection, status: str | None, limit: int) -> list[int]:
    query = select(orders.c.id).order_by(orders.c.id.desc()).limit(limit)
    if status is not None:
        query = query.where(orders.c.status == status)
    return [int(i) for i in conn.execute(query).scalars()]


def _line_select() -> Any:
    return (
        select(
            order_lines,
            funds.c.code.label("fund_code"),
            branches.c.code.label("branch_code"),
        )
        .join(funds, funds.c.id == order_lines.c.fund_id)
        .join(branches, branches.c.id == order_lines.c.branch_id)
    )


def lines_of(conn: Connection, order_id: int) -> Sequence[Row[Any]]:
    return conn.execute(
        _line_select().where(order_lines.c.order_id == order_id).order_by(order_lines.c.id)
    ).all()


def barcodes_of(conn: Connection, line_id: int) -> list[str]:
    return [
        str(b)
        for b in conn.execute(
            select(items.c.barcode)
            .join(line_items, line_items.c.item_id == items.c.id)
            .where(line_items.c.line_id == line_id)
            .order_by(line_items.c.id)
        ).scalars()
    ]


def open_line_for(conn: Connection, record_id: int, branch: int) -> Row[Any] | None:
    """The oldest line of ``record_id`` still waiting for copies at ``branch``, locked."""
    return conn.execute(
        _line_select()
        .where(
            order_lines.c.record_id == record_id,
            order_lines.c.branch_id == branch,
            order_lines.c.status == "ordered",
            order_lines.c.received < order_lines.c.quantity,
        )
        .order_by(order_lines.c.id)
        .limit(1)
        .with_for_update(of=order_lines)
    ).first()


def line_by_id(conn: Connection, line_id: int) -> Row[Any] | None:
    return conn.execute(_line_select().where(order_lines.c.id == line_id)).first()


def waiting_copy(conn: Connection, line_id: int) -> Any:
    return conn.execute(
        select(line_items.c.id, items.c.barcode)
        .join(items, items.c.id == line_items.c.item_id)
        .where(line_items.c.line_id == line_id, line_items.c.received_at.is_(None))
        .order_by(line_items.c.id)
        .limit(1)
    ).first()


def copy_by_barcode(conn: Connection, barcode: str) -> Any:
    """The line's copy with ``barcode``: its line and whether it was received."""
    return conn.execute(
        select(line_items.c.id, line_items.c.line_id, line_items.c.received_at, items.c.barcode)
        .join(items, items.c.id == line_items.c.item_id)
        .where(items.c.barcode == barcode)
    ).first()


def mark_received(conn: Connection, copy_id: int, at: datetime) -> bool:
    done = conn.execute(
        update(line_items)
        .where(line_items.c.id == copy_id, line_items.c.received_at.is_(None))
        .values(received_at=at)
    )
    return bool(done.rowcount)


def count_received(conn: Connection, line_id: int) -> None:
    conn.execute(
        update(order_lines)
        .where(order_lines.c.id == line_id)
        .values(received=order_lines.c.received + 1)
    )
    conn.execute(
        update(order_lines)
        .where(order_lines.c.id == line_id, order_lines.c.received == order_lines.c.quantity)
        .values(status="received")
    )


def cancel_line(conn: Connection, line_id: int) -> None:
    conn.execute(update(order_lines).where(order_lines.c.id == line_id).values(status="cancelled"))


def unreceived_barcodes(conn: Connection, line_id: int) -> list[str]:
    return [
        str(b)
        for b in conn.execute(
            select(items.c.barcode)
            .join(line_items, line_items.c.item_id == items.c.id)
            .where(line_items.c.line_id == line_id, line_items.c.received_at.is_(None))
        ).scalars()
    ]


def close_order(conn: Connection, order_id: int, status: str, at: datetime) -> None:
    conn.execute(update(orders).where(orders.c.id == order_id).values(status=status, closed_at=at))


def insert_invoice(conn: Connection, **values: Any) -> None:
    conn.execute(insert(invoices).values(**values))


def on_order(conn: Connection, record_id: int) -> int:
    """Copies of ``record_id`` ordered and not yet received (for the record's page)."""
    return int(
        conn.execute(
            select(
                func.coalesce(func.sum(order_lines.c.quantity - order_lines.c.received), 0)
            ).where(order_lines.c.record_id == record_id, order_lines.c.status == "ordered")
        ).scalar_one()
    )


def central_code(conn: Connection) -> str | None:
    """The central branch's code (the first branch when none is central)."""
    found = conn.execute(
        select(branches.c.code).order_by(branches.c.kind != "central", branches.c.id).limit(1)
    ).scalar()
    return None if found is None else str(found)


def latest_vendor_at(conn: Connection, branch: int) -> str | None:
    """The vendor of the latest order with a line for ``branch``."""
    found = conn.execute(
        select(vendors.c.code)
        .join(orders, orders.c.vendor_id == vendors.c.id)
        .join(order_lines, order_lines.c.order_id == orders.c.id)
        .where(order_lines.c.branch_id == branch)
        .order_by(order_lines.c.id.desc())
        .limit(1)
    ).scalar()
    return None if found is None else str(found)


def latest_price_at(conn: Connection, branch: int) -> int | None:
    found = conn.execute(
        select(order_lines.c.price_cents)
        .where(order_lines.c.branch_id == branch, order_lines.c.price_cents > 0)
        .order_by(order_lines.c.id.desc())
        .limit(1)
    ).scalar()
    return None if found is None else int(found)


def waiting_lines_at(conn: Connection, branch: int, limit: int) -> Sequence[Row[Any]]:
    """Lines of open orders still waiting for copies at ``branch``, oldest first."""
    return conn.execute(
        select(order_lines, vendors.c.code.label("vendor_code"))
        .join(orders, orders.c.id == order_lines.c.order_id)
        .join(vendors, vendors.c.id == orders.c.vendor_id)
        .where(
            order_lines.c.branch_id == branch,
            order_lines.c.status == "ordered",
            order_lines.c.received < order_lines.c.quantity,
        )
        .order_by(order_lines.c.id)
        .limit(limit)
    ).all()


def in_processing_at(conn: Connection, branch: int, limit: int) -> Sequence[Any]:
    """Copies received at ``branch`` and not yet on the shelf, latest first."""
    return conn.execute(
        select(
            line_items.c.line_id,
            items.c.barcode,
            order_lines.c.record_id,
            order_lines.c.wish_id,
        )
        .join(items, items.c.id == line_items.c.item_id)
        .join(order_lines, order_lines.c.id == line_items.c.line_id)
        .where(
            order_lines.c.branch_id == branch,
            line_items.c.received_at.is_not(None),
            items.c.lifecycle == "in_processing",
        )
        .order_by(line_items.c.received_at.desc(), line_items.c.id.desc())
        .limit(limit)
    ).all()
