"""Notice templates (``access.admin``, the network's: an account bound to no branch): the
words of each notice kind per page language, a preview with a sample reader and loan, and
back to the built-in text. The rules (placeholders, lengths) are in
``circulation/notice_templates.py``; this door shows and forwards."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.circulation.notice_templates import KINDS, LANGUAGES, PLACEHOLDERS, NoticeText
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import i18n
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text

DONE = ("saved", "reset")

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def notices_page(
    web: Web,
    page: Page,
    kind: str,
    language: str,
    *,
    draft: NoticeText | None = None,
    preview: NoticeText | None = None,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    """The templates' table and the form of (kind, language): ``draft`` keeps what was
    typed when a save is refused or previewed, so nothing is lost."""
    page.staff("access.admin")
    if kind not in KINDS or language not in LANGUAGES:
        raise ShelfwiseError("request.not_found")
    templates = web.services.notice_templates().all()
    current = next(t for t in templates if (t.kind, t.language) == (kind, language))
    return web.render(
        page,
        "staff/notice_templates.html",
        status=status,
        templates=templates,
        kinds=KINDS,
        notice_languages=LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        html_lang=i18n.HTML_LANG,
        chosen=current,
        draft=draft or NoticeText(current.subject, current.body),
        placeholders=PLACEHOLDERS[kind],
        preview=preview,
        notice=notice,
        error=error,
    )


@router.get("/staff/admin/notices")
def notice_templates(
    page: PageDep, web: WebDep, kind: str = KINDS[0], lang: str = "zh", done: str = ""
) -> Response:
    notice = page.t("staff.notices.done." + done) if done in DONE else ""
    return notices_page(web, page, kind, lang, notice=notice)


@router.post("/staff/admin/notices/{kind}/{language}")
async def save_notice_template(kind: str, language: str, page: PageDep, web: WebDep) -> Response:
    who = page.staff("access.admin")
    form = await page.request.form()
    draft = NoticeText(form_text(form, "subject"), form_text(form, "body"))
    templates = web.services.notice_templates()
    try:
        if form_text(form, "action") == "preview":
            chosen = i18n.parse_language(language)
            library = web.library_names[chosen] if chosen else web.services.settings.library_name
            shown = templates.preview(kind, language, draft.subject, draft.body, library=library)
            return notices_page(web, page, kind, language, draft=draft, preview=shown)
        templates.save(kind, language, draft.subject, draft.body, actor=who, by=who.name)
    except ShelfwiseError as exc:
        return notices_page(
            web, page, kind, language, draft=draft, error=page.error(exc), status=exc.status
        )
    return web.redirect(f"/staff/admin/notices?kind={kind}&lang={language}&done=saved")


@router.post("/staff/admin/notices/{kind}/{language}/reset")
def reset_notice_template(kind: str, language: str, page: PageDep, web: WebDep) -> Response:
    who = page.staff("access.admin")
    web.services.notice_templates().reset(kind, language, actor=who)
    return web.redirect(f"/staff/admin/notices?kind={kind}&lang={language}&done=reset")
