"""The staff client of the web door: the desk, check-in, the hold shelf, readers and fees,
administration. Every page asks ``page.staff(permission)`` before it shows anything."""

from fastapi import APIRouter

from shelfwise.web.staff import (
    acquisitions,
    admin,
    branches,
    cataloguing,
    checkin,
    copying,
    dashboards,
    desk,
    finding,
    items,
    kiosks,
    login,
    marc_editor,
    notices,
    readers,
    receipts,
    rules,
    spaces,
    staging,
    wishes,
)

# All the staff pages, under ``/staff``.
router = APIRouter(include_in_schema=False)
for _module in (
    login,
    finding,
    desk,
    checkin,
    receipts,
    readers,
    admin,
    branches,
    kiosks,
    rules,
    notices,
    cataloguing,
    marc_editor,
    copying,
    items,
    staging,
    spaces,
    wishes,
    acquisitions,
    dashboards,
):
    router.include_router(_module.router)
