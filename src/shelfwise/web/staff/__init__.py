"""The staff client of the web door: the desk, check-in, the hold shelf, readers and fees,
administration. Every page asks ``page.staff(permission)`` before it shows anything."""

from fastapi import APIRouter

from shelfwise.web.pages import Web
from shelfwise.web.staff import (
    admin,
    cataloguing,
    checkin,
    desk,
    kiosks,
    login,
    readers,
    rules,
)


def router(web: Web) -> APIRouter:
    """All the staff pages, under ``/staff``."""
    pages = APIRouter(include_in_schema=False)
    for module in (login, desk, checkin, readers, admin, kiosks, rules, cataloguing):
        pages.include_router(module.router(web))
    return pages
