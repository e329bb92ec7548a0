"""The MARC editor (``catalogue.write``, issue 20): a record's leader, fields, indicators
and subfields in one form (marc_form.py), checked with the catalogue's lint before
each save and shown with its findings beside the fields; its versions, each viewable
and restorable. Saving and restoring go through ``CatalogueService`` (the rules, the
versions and the reindex are there); this door only translates the form.
"""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.catalogue.models import Cataloguer
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.lint import Finding
from shelfwise.marc.record import Record
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.cataloguing import RecordId
from shelfwise.web.staff.marc_form import helpers, parse, record_as_form

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def _messages(page: Page, findings: list[Finding]) -> dict[int | None, list[Finding]]:
    by_field: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_field[finding.field].append(finding)
    return by_field


def editor_page(
    web: Web,
    page: Page,
    record_id: int,
    marc: Record,
    version: int,
    *,
    notice: str = "",
    error: str = "",
    new_tag: str = "",
    status: int = 200,
) -> Response:
    catalogue = web.services.catalogue
    summary = catalogue.get_record(record_id)
    dialect = catalogue.record_dialect(record_id)
    findings = catalogue.check_marc(record_id, marc)
    return web.render(
        page,
        "staff/marc_editor.html",
        status=status,
        record=summary,
        dialect=str(dialect),
        leader=marc.leader,
        fields=record_as_form(marc),
        helpers=helpers(marc, dialect),
        findings=_messages(page, findings),
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        version=version,
        versions=catalogue.versions(record_id),
        new_tag=new_tag,
        notice=notice,
        error=error,
    )


@router.get("/staff/catalogue/records/{record_id}/marc")
def editor(record_id: RecordId, page: PageDep, web: WebDep, saved: int = 0) -> Response:
    page.staff("catalogue.write")
    catalogue = web.services.catalogue
    notice = page.t("staff.marc.saved", version=saved) if saved > 0 else ""
    return editor_page(
        web,
        page,
        record_id,
        catalogue.get_marc(record_id),
        catalogue.record_version(record_id),
        notice=notice,
    )


@router.post("/staff/catalogue/records/{record_id}/marc")
async def edit(record_id: RecordId, page: PageDep, web: WebDep) -> Response:
    who = page.staff("catalogue.write")
    catalogue = web.services.catalogue
    form = await page.request.form()
    draft = parse(form, catalogue.record_dialect(record_id))
    if draft.bad_tag:
        error = page.t("staff.marc.bad_new_tag", tag=draft.new_tag)
        return editor_page(
            web,
            page,
            record_id,
            draft.record,
            draft.version,
            error=error,
            new_tag=draft.new_tag,
            status=422,
        )
    if draft.op != "save":
        return editor_page(web, page, record_id, draft.record, draft.version)
    try:
        saved = catalogue.save_marc(
            record_id,
            draft.record,
            expected_version=draft.version,
            by=Cataloguer(who.id, who.name),
        )
    except ShelfwiseError as exc:
        return editor_page(
            web,
            page,
            record_id,
            draft.record,
            draft.version,
            error=page.error(exc),
            status=exc.status,
        )
    return web.redirect(f"/staff/catalogue/records/{record_id}/marc?saved={saved.version}")


@router.get("/staff/catalogue/records/{record_id}/versions/{version}")
def version_page(record_id: RecordId, version: int, page: PageDep, web: WebDep) -> Response:
    page.staff("catalogue.write")
    catalogue = web.services.catalogue
    chosen = next((v for v in catalogue.versions(record_id) if v.version == version), None)
    if chosen is None:
        raise ShelfwiseError("catalogue.version_not_found", record_id=record_id, version=version)
    return web.render(
        page,
        "staff/marc_version.html",
        record=catalogue.get_record(record_id),
        chosen=chosen,
        marc=catalogue.version_marc(record_id, version),
        current=catalogue.record_version(record_id),
    )


@router.post("/staff/catalogue/records/{record_id}/versions/{version}/restore")
async def restore(record_id: RecordId, version: int, page: PageDep, web: WebDep) -> Response:
    who = page.staff("catalogue.write")
    form = await page.request.form()
    expected = form_text(form, "version")
    saved = web.services.catalogue.restore_version(
        record_id,
        version,
        expected_version=int(expected) if expected.isdigit() else 0,
        by=Cataloguer(who.id, who.name),
    )
    return web.redirect(f"/staff/catalogue/records/{record_id}/marc?saved={saved.version}")
