"""The composition root: the one place where settings, database, clock and services meet.

:func:`build` makes the :class:`~shelfwise.services.Services` bundle (named ``services``);
the functions below it assemble the doors over it — :func:`asgi_app` (API, SRU, OAI-PMH,
the web pages), :func:`sip2_server`, :func:`backup_service` — each door getting what it
needs. The process's background work is :class:`~shelfwise.runtime.Runtime`'s; nothing
else constructs a service.
"""

from __future__ import annotations

import contextlib
import gc
import os
from typing import TYPE_CHECKING, Any

from shelfwise.access.lockout import Lockout, SourcePolicy
from shelfwise.access.reader_data import AccessReaderData
from shelfwise.access.service import AccessService
from shelfwise.acquisitions.briefs import BriefRecords
from shelfwise.acquisitions.service import AcquisitionService
from shelfwise.analytics.models import AnalyticsPolicy
from shelfwise.analytics.service import AnalyticsService
from shelfwise.catalogue.importing import Importer
from shelfwise.catalogue.remote import RemoteCatalogue, TargetError, parse_targets
from shelfwise.catalogue.service import CatalogueService
from shelfwise.circulation.availability import AVAILABILITY_CHANGED
from shelfwise.circulation.calendars import CalendarService
from shelfwise.circulation.deposits import (
    DepositPolicy,
    DepositService,
    StandingCreditPolicy,
    parse_requirements,
)
from shelfwise.circulation.fees import FeeService
from shelfwise.circulation.hold_wait import HoldWaits
from shelfwise.circulation.idempotency import Idempotency
from shelfwise.circulation.loan_rules import LoanRuleService
from shelfwise.circulation.models import CirculationPolicy
from shelfwise.circulation.popularity import LoanPopularity
from shelfwise.circulation.reader_data import CirculationReaderData
from shelfwise.circulation.service import CirculationService
from shelfwise.config import Settings, SettingsError
from shelfwise.core import log_format, log_masking
from shelfwise.core.clock import Clock, SystemClock, in_zone, zone_named
from shelfwise.core.errors import ShelfwiseError
from shelfwise.core.metrics import count_calls
from shelfwise.events.reader_data import EventsReaderData
from shelfwise.events.service import EventService
from shelfwise.kiosks.alerts import KioskAlerts
from shelfwise.kiosks.terminals import ChangeStamp, TerminalService
from shelfwise.media.service import MediaService, parse_networks
from shelfwise.readers.privacy import ReaderRights
from shelfwise.readers.security import SecretHasher
from shelfwise.readers.service import (
    ReaderPolicy,
    ReaderService,
    categories_from,
    categories_from_list,
)
from shelfwise.recommend.everyone import Everyone
from shelfwise.recommend.models import RecommendPolicy
from shelfwise.recommend.reader_data import RecommendReaderData
from shelfwise.recommend.service import RecommendService
from shelfwise.runtime import Runtime
from shelfwise.search.models import SearchRequest, ShelfAvailability
from shelfwise.search.service import SearchService
from shelfwise.secret_keys import SecretKeys, load_keys
from shelfwise.services import Services, confirm_link
from shelfwise.spaces.models import SpacePolicy
from shelfwise.spaces.qr import QrSigner
from shelfwise.spaces.reader_data import SpacesReaderData
from shelfwise.spaces.rooms import RoomService
from shelfwise.spaces.service import SpaceService
from shelfwise.storage import migrate
from shelfwise.storage.backup import BackupService
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import backlog as outbox_backlog
from shelfwise.stories.service import StoryService
from shelfwise.text import analyze_query
from shelfwise.wishes.models import WishPolicy
from shelfwise.wishes.reader_data import WishReaderData
from shelfwise.wishes.service import WishService

if TYPE_CHECKING:
    from fastapi import FastAPI

    from shelfwise.interop.bundle import InteropServices
    from shelfwise.sip2.server import ServerConfig, Sip2Server


def build(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate_db: bool = True
) -> Services:
    """The services of one library instance over ``settings`` (default: loaded)."""
    settings = settings or Settings.load()
    clock = _library_clock(settings, clock)
    # P13: no card number or confirmation code in any log line of this process.
    log_masking.install(settings.reader_card_prefix)
    keys = load_keys(settings)  # before anything else: a refused key stops the start here
    confirm_link(settings)
    db = Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    if migrate_db:
        migrate.upgrade(db)
    hasher = _hasher(settings, keys)
    lockout = _lockout(settings, db, clock)
    reader_service = ReaderService(db, clock, hasher, _reader_policy(settings), throttle=lockout)
    deposit_policy = _deposit_policy(settings)
    idempotency = Idempotency(
        db,
        clock,
        keys.idempotency.encode(),
        retention_days=settings.idempotency_retention_days,
    )
    circulation = _counted(
        CirculationService(
            db,
            clock,
            _circulation_policy(settings),
            deposits=deposit_policy,
            idempotency=idempotency,
        )
    )
    services = Services(
        settings=settings,
        clock=clock,
        db=db,
        catalogue=CatalogueService(db, clock),
        readers=reader_service,
        circulation=circulation,
        fees=FeeService(db, clock, idempotency=idempotency),
        loan_rules=LoanRuleService(db, clock, deposits=deposit_policy),
        calendars=CalendarService(db, clock),
        reader_rights=_reader_rights(db, clock),
        deposits=DepositService(db, clock, deposit_policy),
        search=_search(settings, db, clock, circulation),
        terminals=TerminalService(db, clock, hasher, _terminals_stamp(settings)),
        kiosk_alerts=KioskAlerts(db, clock),
        popularity=LoanPopularity(db, clock),
        analytics=_analytics(settings, db, clock),
        hold_waits=HoldWaits(db, clock, circulation.record_status),
        access=_access(settings, db, clock, hasher, reader_service, lockout),
        keys=keys,
        **_places(settings, db, clock, keys),
        **_collections(settings, db, clock),
        **_wall_and_acquisitions(settings, db, clock),
        remote=_remote_catalogues(settings),
    )
    _recommendations(services)
    return services


def _recommendations(services: Services) -> None:
    """Recommendations with consent (P11), with k of P17 for co-borrowing pairs."""
    settings, db = services.settings, services.db
    k = settings.analytics_min_readers
    services.everyone = Everyone(
        db, k, services.popularity, services.catalogue, services.stories, services.events
    )
    services.recommend = RecommendService(
        db, services.clock, RecommendPolicy(min_readers=k), services.circulation, services.everyone
    )


def _remote_catalogues(settings: Settings) -> RemoteCatalogue:
    """The copy-cataloguing targets, each searched by its protocol's client (interop door)."""
    from shelfwise.interop.remote_catalogues import RemoteCatalogues

    try:
        return RemoteCatalogues(parse_targets(settings.copy_cataloguing_targets))
    except TargetError as exc:
        raise SettingsError(str(exc)) from exc


def _places(settings: Settings, db: Database, clock: Clock, keys: SecretKeys) -> dict[str, Any]:
    """Spaces (seat bookings over the branch calendars) and events (their rooms booked
    through spaces); QR codes signed with the persisted key."""
    signer = QrSigner(keys.space_qr)
    calendars = CalendarService(db, clock)
    spaces = SpaceService(db, clock, calendars, _space_policy(settings), signer)
    return {
        "spaces": spaces,
        "rooms": RoomService(db, clock, settings.space_slot_minutes),
        "events": EventService(db, clock, spaces, signer),
    }


def _analytics(settings: Settings, db: Database, clock: Clock) -> AnalyticsService:
    """Counters kept from circulation's acts, read with the k rule (issue 21, P17)."""
    catalogue = CatalogueService(db, clock)
    policy = AnalyticsPolicy(min_readers=settings.analytics_min_readers)
    return AnalyticsService(
        db, clock, policy, lambda: {b.code: b.id for b in catalogue.list_branches()}
    )


def _space_policy(settings: Settings) -> SpacePolicy:
    return SpacePolicy(
        slot_minutes=settings.space_slot_minutes,
        grace_minutes=settings.space_checkin_grace_minutes,
        leave_minutes=settings.space_leave_minutes,
        walk_in_minutes=settings.space_walk_in_minutes,
        no_show_limit=settings.space_no_show_limit,
        no_show_window_days=settings.space_no_show_window_days,
        suspension_days=settings.space_suspension_days,
        retention_days=settings.space_booking_retention_days,
    )


def _search(
    settings: Settings, db: Database, clock: Clock, circulation: CirculationService
) -> SearchService:
    """Circulation gives search the shelves in bulk and a change event per record (issue 12)."""
    return SearchService(
        db,
        settings.data_dir / "index",
        availability=ShelfAvailability(circulation.on_shelf),
        follows=(AVAILABILITY_CHANGED,),  # consumed by the follower, not the relay
        clock=clock,
    )


def _wall_and_acquisitions(settings: Settings, db: Database, clock: Clock) -> dict[str, Any]:
    """The wish wall, which asks the catalogue first whether a wished-for ISBN is held, and
    acquisitions, which makes brief records through the catalogue's importer."""
    catalogue = CatalogueService(db, clock)
    policy = WishPolicy(
        premoderate=settings.wishes_premoderate,
        per_month=settings.wishes_per_month,
        reports_to_queue=settings.wishes_reports_to_queue,
    )
    work_dir = settings.data_dir / "imports"

    def importer() -> Importer:
        return Importer(db, clock, work_dir=work_dir, batch_size=settings.import_batch_size)

    briefs = BriefRecords(importer, work_dir)
    return {
        "wishes": WishService(db, clock, policy, record_with_isbn=catalogue.record_with_isbn),
        "acquisitions": AcquisitionService(db, clock, catalogue, briefs.make),
    }


def _collections(settings: Settings, db: Database, clock: Clock) -> dict[str, Any]:
    """Digital objects and the stories told with them (issue 17)."""
    media = _media(settings, db, clock)
    return {"media": media, "stories": StoryService(db, clock, CatalogueService(db, clock), media)}


def _media(settings: Settings, db: Database, clock: Clock) -> MediaService:
    """Digital objects, content-addressed under DATA/media; the catalogue names their
    records and on-site branches."""
    try:
        onsite = parse_networks(settings.media_onsite_networks)
    except ValueError as exc:
        raise SettingsError(str(exc)) from exc
    return MediaService(
        db,
        clock,
        CatalogueService(db, clock),
        settings.data_dir / "media",
        max_bytes=settings.media_max_bytes,
        max_pixels=settings.media_max_pixels,
        onsite=onsite,
    )


def _reader_rights(db: Database, clock: Clock) -> ReaderRights:
    """A reader's data export and erasure: every domain that holds something of a reader
    registers here (readers' own profile and consents come first, built in)."""
    rights = ReaderRights(db, clock)
    rights.register(CirculationReaderData(clock))
    rights.register(AccessReaderData())
    rights.register(SpacesReaderData())
    rights.register(EventsReaderData())
    rights.register(WishReaderData())  # after circulation: erased first
    rights.register(RecommendReaderData())
    return rights


def _hasher(settings: Settings, keys: SecretKeys) -> SecretHasher:
    return SecretHasher(
        time_cost=settings.password_hash_time_cost,
        memory_kib=settings.password_hash_memory_kib,
        id_card_key=keys.id_card,
        id_card_old_keys=keys.id_card_old,
        max_concurrent=settings.password_hash_concurrency,
    )


def _reader_policy(settings: Settings) -> ReaderPolicy:
    return ReaderPolicy(
        card_prefix=settings.reader_card_prefix,
        card_years=settings.reader_card_years,
        categories=categories_from(settings.reader_extra_categories),
        notice_version=settings.privacy_notice_version,
        self_registered_must_confirm=settings.reader_self_registration_confirm,
        self_service_categories=categories_from_list(settings.reader_self_registration_categories),
        registrations_per_hour=settings.access_registrations_per_hour,
        confirmations_per_hour=settings.access_confirmations_per_hour,
    )


def _circulation_policy(settings: Settings) -> CirculationPolicy:
    return CirculationPolicy(
        fee_block_cents=settings.circulation_fee_block_cents,
        due_soon_days=settings.notice_due_soon_days,
        overdue_blocks=settings.circulation_overdue_blocks,
        renewal_base=settings.renewal_period_base,
        card_warning_days=settings.circulation_card_warning_days,
    )


def _deposit_policy(settings: Settings) -> DepositPolicy:
    return DepositPolicy(
        required=parse_requirements(settings.circulation_deposit_cents),
        credit=StandingCreditPolicy(
            enabled=settings.credit_enabled,
            min_card_days=settings.credit_min_card_days,
            lookback_days=settings.credit_overdue_lookback_days,
        ),
    )


def _lockout(settings: Settings, db: Database, clock: Clock) -> Lockout:
    return Lockout(
        db,
        clock,
        limit=settings.access_login_attempts,
        seconds=settings.access_lockout_seconds,
        sources=SourcePolicy(
            failures=settings.access_source_failures,
            window_seconds=settings.access_source_window_seconds,
            backoff_seconds=settings.access_source_backoff_seconds,
            backoff_max_seconds=settings.access_source_backoff_max_seconds,
        ),
    )


def _access(
    settings: Settings,
    db: Database,
    clock: Clock,
    hasher: SecretHasher,
    reader_service: ReaderService,
    lockout: Lockout,
) -> AccessService:
    return AccessService(
        db,
        clock,
        hasher,
        reader_service,
        lockout,
        staff_session_hours=settings.access_staff_session_hours,
        reader_session_hours=settings.access_reader_session_hours,
        attempts_retention_hours=settings.access_login_attempts_retention_hours,
    )


# What /metrics counts of circulation (shelfwise_circulation_operations), by kind.
_CIRCULATION_KINDS = {
    "checkout": "checkout",
    "checkin": "checkin",
    "take_back": "take_back",
    "renew": "renew",
    "declare_lost": "lost",
    "place_hold": "hold_place",
    "cancel_hold": "hold_cancel",
    "change_pickup": "hold_pickup",
}


def _counted(service: CirculationService) -> CirculationService:
    """Every door's circulation operations counted by kind and result, at the one service."""

    def code(exc: BaseException) -> str:
        return exc.code if isinstance(exc, ShelfwiseError) else "error"

    count_calls(service, _CIRCULATION_KINDS, code)
    return service


def backup_service(settings: Settings, clock: Clock | None = None) -> BackupService:
    """Backups and restores of this library's database and data folder.

    Built without :func:`build`: a restore must neither migrate the database it is
    about to fill nor make new keys in the data folder the backup's keys go to."""
    return BackupService(
        Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms),
        settings.data_dir,
        clock or SystemClock(),
        retention_days=settings.backup_retention_days,
    )


def _library_clock(settings: Settings, clock: Clock | None) -> Clock:
    """The clock every service gets, keeping the library's time zone (its local day)."""
    try:
        zone = zone_named(settings.library_timezone)
    except ValueError as exc:
        raise SettingsError(f"library_timezone: {exc}") from exc
    return SystemClock(zone) if clock is None else in_zone(clock, zone)


def asgi_app(services: Services, runtime: Runtime | None = None) -> FastAPI:
    """The HTTP doors (API, SRU, OAI-PMH and the web pages) over this instance's services.

    Its lifespan starts and stops ``runtime``, the process's background work; without one,
    a :class:`Runtime` of its own (an HTTP app served alone runs the process's work). The
    doors themselves start nothing."""
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import Response

    from shelfwise.api.errors import allowed_methods
    from shelfwise.api.errors import method_not_allowed as api_method_not_allowed
    from shelfwise.api.http import create_app
    from shelfwise.http_metrics import RequestMetrics
    from shelfwise.interop import oai, sru
    from shelfwise.request_ids import RequestIds
    from shelfwise.web import door as web

    app = create_app(services, runtime if runtime is not None else Runtime(services))
    _metrics(app, services)  # /metrics: loopback or metrics_token only
    interop = interop_services(services)  # SRU and OAI-PMH get their narrow bundle
    sru.install(app, interop)  # /sru: SRU 1.2 and 2.0, XML diagnostics
    oai.install(app, interop)  # /oai: OAI-PMH 2.0, XML errors
    # Before the web's middleware is added, so that it wraps the limit's refusal page.
    web_door: list[web.Web] = []
    _limit_bodies(app, services, web_door)
    pages = web.install(app, services)  # pages at /, static at /static/ (last: it ends in a 404)
    web_door.append(pages)

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        """405 in the format of the door the path belongs to, with ``Allow``."""
        header = (exc.headers or {}).get("Allow") if isinstance(exc, HTTPException) else None
        allow, path = allowed_methods(header), request.url.path
        if path == "/sru":
            return sru.method_not_allowed(request.method, allow)
        if path == "/oai":
            base = str(request.url.replace(query=""))
            return oai.method_not_allowed(request.method, allow, base, services.clock.now())
        if path.startswith("/api/"):
            return api_method_not_allowed(request, header)
        return web.method_not_allowed(pages, request, allow)

    app.add_exception_handler(405, method_not_allowed)
    app.add_middleware(RequestMetrics)
    # Outermost: the id is set before anything else runs, and the access log has it.
    app.add_middleware(RequestIds)
    return app


def _metrics(app: FastAPI, services: Services) -> None:
    """``/metrics`` over this instance: the process's counters and the library's state."""
    from prometheus_client import CollectorRegistry

    from shelfwise.api import metrics_routes
    from shelfwise.core.metrics import IndexState, LibraryState

    def index() -> IndexState | None:
        live = services.search.live_state()
        return None if live is None else IndexState(*live)

    state = CollectorRegistry(auto_describe=False)
    state.register(LibraryState(services.clock.now, lambda: outbox_backlog(services.db), index))
    token = services.settings.metrics_token.reveal()
    metrics_routes.install(app, metrics_routes.MetricsSource(token, state))


def _limit_bodies(app: FastAPI, services: Services, web_door: list[Any]) -> None:
    """Bodies over http_max_body_bytes are refused before anything reads them (413): the
    API's JSON error, or the web's page once ``web_door`` holds the web."""
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import Scope

    from shelfwise.api.errors import envelope
    from shelfwise.body_limits import BodyLimit
    from shelfwise.core.errors import ShelfwiseError
    from shelfwise.web import door as web
    from shelfwise.web.security import SESSION_COOKIE, is_web_path, read_cookie

    def may_upload(scope: Scope) -> bool:
        who = services.access.principal(read_cookie(scope, SESSION_COOKIE), sessions_only=True)
        return who is not None and who.can("catalogue.write")

    def refuse(request: Request, limit: int) -> Response:
        error = ShelfwiseError("request.too_large", limit=_size(limit))
        if is_web_path(request.url.path) and web_door:
            page: Response = web_door[0].error_page(request, error)
            return page
        return envelope(error, request)

    app.add_middleware(
        BodyLimit,
        limit=services.settings.http_max_body_bytes,
        upload_limit=services.settings.http_max_upload_bytes,
        upload_paths=frozenset({web.UPLOAD_PATH, web.MEDIA_UPLOAD_PATH}),
        may_upload=may_upload,
        refuse=refuse,
    )


def _size(limit: int) -> str:
    return f"{limit / 1048576:g} MiB" if limit >= 1048576 else f"{limit / 1024:g} KiB"


def interop_services(services: Services) -> InteropServices:
    """What SRU and OAI-PMH are handed: the catalogue, search, the clock and the settings
    values they show."""
    from shelfwise.interop.bundle import InteropServices

    return InteropServices(
        catalogue=services.catalogue,
        search=services.search,
        clock=services.clock,
        media=services.media,
        library_name=services.settings.library_name,
        admin_email=services.settings.smtp_sender,
        repository_identifier=services.settings.oai_repository_identifier,
        page_size=services.settings.oai_page_size,
    )


def sip2_server(services: Services, config: ServerConfig | None = None) -> Sip2Server:
    """The SIP2 door (self-check kiosks) over this instance's services; not yet started."""
    from shelfwise.sip2.server import ServerConfig, Sip2Server
    from shelfwise.sip2.session import KioskServices

    kiosk = KioskServices(
        readers=services.readers,
        circulation=services.circulation,
        fees=services.fees,
        catalogue=services.catalogue,
        terminals=services.terminals,
        lockout=services.access.lockout,
        access=services.access,
        clock=services.clock,
        library_name=services.settings.library_name,
        max_message_bytes=services.settings.sip2_max_message_bytes,
    )
    return Sip2Server(kiosk, config or ServerConfig.from_settings(services.settings))


def _terminals_stamp(settings: Settings) -> ChangeStamp:
    """The file whose change tells live SIP2 sessions in every process to read their
    terminal's enabled flag again (kiosks/terminals.py)."""
    return ChangeStamp(settings.data_dir / "sip2" / "terminals.stamp")


# --- serve's HTTP worker processes --------------------------------------------------------

WORKER_APP = "shelfwise.app:http_worker"  # uvicorn's factory, imported in each worker


def http_workers(requested: int | None = None) -> int:
    """How many HTTP worker processes ``serve`` runs: ``requested``, else two where there
    are two cores or more (one Python process holds one core at a time: the GIL), else one."""
    if requested is not None and requested > 0:
        return requested
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def http_worker() -> FastAPI:
    """The HTTP app of one of ``serve``'s worker processes (uvicorn calls it in each).

    Settings come as the parent loaded them (its ``SHELFWISE_*`` environment, which
    ``serve`` completes with its flags); the parent migrated the database, made the
    keys (so every worker signs and checks pages with the same persisted web key) and
    runs the process's background work, so a worker runs none (``scheduler_enabled``
    off: no scheduler, no search follower; its searches open the index the parent's
    follower keeps and reload when it commits). After the app is built the long-lived
    objects are frozen out of the garbage collector's generations (``gc.freeze``): a
    collection no longer walks the modules, tables and built statements on every
    request's garbage.  It freezes *after* a warm-up search (:func:`_warm_up`), so the
    language engines' tables and the open index, made on first use, are frozen too
    instead of being walked by every full collection of the worker's life.
    """
    settings = Settings.load({"scheduler_enabled": False})
    log_format.configure(settings.log_format, settings.log_level.upper())
    services = build(settings, migrate_db=False)
    app = asgi_app(services, Runtime(services, follow_search=False))
    _warm_up(services)
    gc.collect()
    gc.freeze()
    return app


# Every script a reader types: Simplified and Traditional Han (jieba-rs, OpenCC, pinyin
# keys), Hangul and Hanja readings, Latin words (stems).
_WARM_UP_QUERY = "历史 歷史 역사 history lishi"


def _warm_up(services: Services) -> None:
    """One search before the worker serves: loads what the first reader's search would
    (segmenter, converters, pinyin, the Hanja table, the index and its searcher)."""
    analyze_query(_WARM_UP_QUERY)
    with contextlib.suppress(ShelfwiseError):  # no index yet: the engines are loaded anyway
        services.search.search(SearchRequest(q=_WARM_UP_QUERY))
