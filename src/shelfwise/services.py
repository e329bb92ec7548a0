"""The services bundle: every domain service of one library instance, named ``services``.

:func:`shelfwise.app.build` makes one from the settings; the doors that need the whole
bundle (the API and web routers) receive it, the others a narrow bundle of their own
(SIP2's :class:`~shelfwise.sip2.session.KioskServices`). The process's background work
(the scheduler, the outbox relay, the search follower) is not here: :mod:`shelfwise.runtime`
runs it. This module imports domains, storage, config and core only, never a door.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta, timezone

from shelfwise.access.service import AccessService
from shelfwise.acquisitions.service import AcquisitionService
from shelfwise.analytics.dashboards import Dashboards
from shelfwise.analytics.service import AnalyticsService
from shelfwise.catalogue.copying import CopyCataloguing
from shelfwise.catalogue.exporting import Exporter
from shelfwise.catalogue.importing import Importer
from shelfwise.catalogue.remote import RemoteCatalogue
from shelfwise.catalogue.service import CatalogueService
from shelfwise.catalogue.staging import ImportStaging
from shelfwise.catalogue.uploads import Uploads
from shelfwise.circulation.calendars import CalendarService
from shelfwise.circulation.deposits import DepositService
from shelfwise.circulation.fees import FeeService
from shelfwise.circulation.hold_wait import HoldWaits
from shelfwise.circulation.loan_rules import LoanRuleService
from shelfwise.circulation.migration_import import MigrationImporter
from shelfwise.circulation.notice_templates import NoticeTemplates
from shelfwise.circulation.notices import NoticeChannel, Receipts
from shelfwise.circulation.popularity import LoanPopularity
from shelfwise.circulation.service import CirculationService
from shelfwise.config import Settings, SettingsError
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.events.service import EventService
from shelfwise.kiosks.alerts import KioskAlerts
from shelfwise.kiosks.terminals import TerminalService
from shelfwise.media.service import MediaService
from shelfwise.readers.privacy import ReaderRights
from shelfwise.readers.service import ReaderService
from shelfwise.recommend.everyone import Everyone
from shelfwise.recommend.service import RecommendService
from shelfwise.search.service import SearchService
from shelfwise.secret_keys import SecretKeys
from shelfwise.spaces.rooms import RoomService
from shelfwise.spaces.service import SpaceService
from shelfwise.storage.database import Database
from shelfwise.stories.service import StoryService
from shelfwise.wishes.lookup import WishLookup
from shelfwise.wishes.service import WishService


@dataclass(slots=True)
class Services:
    settings: Settings
    clock: Clock
    db: Database
    catalogue: CatalogueService
    readers: ReaderService
    circulation: CirculationService
    fees: FeeService
    loan_rules: LoanRuleService
    calendars: CalendarService
    reader_rights: ReaderRights
    deposits: DepositService
    search: SearchService
    terminals: TerminalService
    kiosk_alerts: KioskAlerts
    access: AccessService
    keys: SecretKeys
    spaces: SpaceService
    rooms: RoomService
    wishes: WishService
    events: EventService
    media: MediaService
    acquisitions: AcquisitionService
    stories: StoryService
    popularity: LoanPopularity
    analytics: AnalyticsService
    hold_waits: HoldWaits
    notice_channel: NoticeChannel | None = None
    # Other libraries' catalogues (copy cataloguing, wish lookups): the interop door's
    # clients, set by app.build; None in a bundle built without them.
    remote: RemoteCatalogue | None = None
    # Recommendations (issue 21, P11): built by app.build over the services above.
    recommend: RecommendService = field(init=False)
    everyone: Everyone = field(init=False)

    def wish_lookup(self) -> WishLookup:
        """The wish form's lookup: our catalogue, then the remote catalogues over SRU."""
        return WishLookup(self.search, self.catalogue, self.remote)

    def dashboards(self) -> Dashboards:
        """The managers' charts over the statistics (issue 21)."""
        return Dashboards(self.analytics, self._event_names)

    def _event_names(self, event_ids: list[int]) -> dict[int, str]:
        """What a fill-rate row calls an event: its local start date and title."""
        zone = self.clock.zone
        out: dict[int, str] = {}
        for event_id in event_ids:
            try:
                found = self.events.event(event_id)
            except ShelfwiseError:  # gone since it was counted: its number, then
                out[event_id] = f"#{event_id}"
                continue
            out[event_id] = f"{found.starts_at.astimezone(zone):%Y-%m-%d} {found.title}"
        return out

    def importer(self) -> Importer:
        return Importer(
            self.db,
            self.clock,
            work_dir=self.settings.data_dir / "imports",
            batch_size=self.settings.import_batch_size,
            workers=_workers(self.settings.import_workers),
        )

    def receipts(self) -> Receipts:
        """Checkout receipts by e-mail for the readers who asked."""
        return Receipts(self.db, self.clock)

    def notice_templates(self) -> NoticeTemplates:
        """The words of each notice kind per page language (administration, the sender)."""
        return NoticeTemplates(self.db, self.clock)

    def copying(self) -> CopyCataloguing:
        """Copy cataloguing from the remote catalogues, saved through the importer's matching."""
        return CopyCataloguing(self.db, self.importer, self.remote)

    def staging(self) -> ImportStaging:
        """Imports staged for review, applied in whole or part, undone within the window."""
        return ImportStaging(
            self.db,
            self.clock,
            self.importer,
            undo_window=timedelta(hours=self.settings.import_undo_hours),
            # batches small enough that the review's progress moves on a large file
            batch_size=min(500, self.settings.import_batch_size),
        )

    def uploads(self) -> Uploads:
        """Files staff upload for import (deleted once imported, or after the retention)."""
        return Uploads(
            self.settings.data_dir / "imports" / "uploads",
            self.clock,
            retention=timedelta(hours=self.settings.import_upload_retention_hours),
        )

    def exporter(self) -> Exporter:
        """MARC export to a file (MARC 21 by default; see catalogue/exporting.py)."""
        return Exporter(self.catalogue)

    def migration_importer(self, *, local_offset: timezone) -> MigrationImporter:
        """Readers, loans, holds and fees from another system's CSV files."""
        return MigrationImporter(
            self.db,
            self.clock,
            self.readers,
            work_dir=self.settings.data_dir / "imports",
            batch_size=self.settings.import_batch_size,
            local_offset=local_offset,
        )

    def close(self) -> None:
        self.search.close()
        self.db.dispose()


def _workers(setting: int) -> int:
    return (os.cpu_count() or 1) if setting < 0 else setting


def confirm_link(settings: Settings) -> str:
    """The link template of the self-registration e-mail; the code stays out of its query.

    A query string is written to access logs, proxies' logs and browser histories; a
    path segment is masked in Shelfwise's own logs (P13) and the page behind it confirms
    only when the reader presses the button (a POST), never when a mail scanner follows it.
    """
    link = settings.reader_confirm_link
    if not link:
        base = settings.web_public_url.rstrip("/")
        return f"{base}/register/confirm/{{card}}/{{token}}" if base else ""
    if "?" in link and "{token}" in link.split("?", 1)[1]:
        raise SettingsError(
            "reader_confirm_link puts {token} in the query string, where access logs keep it: "
            "use a path such as https://library.example.org/register/confirm/{card}/{token}"
        )
    return link
