"""The process's background work: started and stopped in one place, by every process kind.

A :class:`Runtime` owns three things that run beside the doors:

* the **scheduler** (:mod:`shelfwise.storage.scheduler`): periodic jobs — outbox delivery,
  due-date notices, hold expiry, pruning;
* the **outbox relay** (:mod:`shelfwise.storage.outbox`) with its handlers, run by the
  scheduler's ``outbox.deliver`` job: notices and confirmation e-mails, the search nudge,
  kiosk alerts;
* the **search follower** (:meth:`shelfwise.search.service.SearchService.start`): keeps the
  search index in this process's data folder up to date with the catalogue.

``shelfwise serve`` hands one to the HTTP app's lifespan (:func:`shelfwise.app.asgi_app`),
``shelfwise sip2`` runs one around its server and ``shelfwise worker`` runs one alone. Each
process starts its runtime once; where several processes share a database, the database
decides who runs what (docs/architecture.md, "Processes"): a job slot is claimed by one
insert into ``job_runs`` (its unique key), an outbox event by a timed claim
(``outbox_claim_seconds``, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL). The search index is
per data folder, not per database, so each process that answers searches follows its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType

from shelfwise.analytics.tallies import TOPICS as TALLY_TOPICS
from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.circulation.activity import BORROWED, LOAN_ACTIVITY
from shelfwise.circulation.notices import NoticeHandler, SmtpChannel, enqueue_due_notices
from shelfwise.circulation.service import NOTICE_TOPIC
from shelfwise.config.values import page_languages
from shelfwise.events.mailer import EventMailer
from shelfwise.events.service import PROMOTED_TOPIC, REMINDER_TOPIC
from shelfwise.kiosks.terminals import ALERT_TOPIC
from shelfwise.readers.confirmation import ConfirmationMailer
from shelfwise.readers.service import CONFIRM_TOPIC
from shelfwise.services import Services, confirm_link
from shelfwise.storage.outbox import Event, Handler, OutboxRelay, prune_delivered
from shelfwise.storage.scheduler import Job, Scheduler, prune_runs
from shelfwise.wishes.arrivals import WishArrivals
from shelfwise.wishes.models import NOTICE_TOPIC as WISH_NOTICE_TOPIC
from shelfwise.wishes.notices import WishNoticeHandler

log = logging.getLogger(__name__)

RETENTION_JOB = "retention"


@dataclass(frozen=True, slots=True)
class Pruning:
    """One domain's retention: ``run`` deletes what outlived its setting, returns how many."""

    name: str
    run: Callable[[], int]


class RetentionError(RuntimeError):
    """Some pruning failed (the others ran); the message says what each did."""


class Runtime:
    """The background work of one process over ``services``.

    ``follow_search``: keep this process's search index current (the processes that
    answer searches: ``serve``). A process that answers none (``sip2``, ``worker``) leaves
    the index alone: record changes are in the outbox table, which the follower of each
    searching process reads by itself, whoever delivers the events.
    """

    def __init__(
        self, services: Services, *, follow_search: bool = True, tick_seconds: float = 1.0
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.db = services.db
        self.clock = services.clock
        self.follow_search = follow_search
        self._tick = tick_seconds
        self._scheduler: Scheduler | None = None

    @property
    def enabled(self) -> bool:
        """``scheduler_enabled``: off, this process runs no background work at all."""
        return self.settings.scheduler_enabled

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def start(self) -> None:
        """Start the scheduler (and the search follower); a second call does nothing."""
        if self._scheduler is not None or not self.enabled:
            return
        self._scheduler = self.scheduler()
        self._scheduler.start(self._tick)
        if self.follow_search:
            self.services.search.start()  # check the index against the database, then follow it

    def stop(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is None:
            return
        if self.follow_search:
            self.services.search.stop()
        scheduler.stop()
        try:  # the story views this process counted since the last minute's flush
            self.services.stories.views.flush()
        except Exception:
            log.exception("story views not flushed at stop")

    def __enter__(self) -> Runtime:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what runs -------------------------------------------------------------------------

    def outbox_relay(self, handlers: Mapping[str, Handler] | None = None) -> OutboxRelay:
        """The relay over ``handlers`` (default: this runtime's :meth:`outbox_handlers`)."""
        return OutboxRelay(
            self.db,
            self.clock,
            self.outbox_handlers() if handlers is None else handlers,
            batch_size=self.settings.outbox_batch_size,
            claim_seconds=self.settings.outbox_claim_seconds,
        )

    def scheduler(self) -> Scheduler:
        """The scheduler over :meth:`jobs` (not started)."""
        return Scheduler(self.db, self.clock, self.jobs())

    def jobs(self) -> list[Job]:
        services = self.services
        # Delivery handlers arrive with the domains that consume events (search, notices).
        relay = self.outbox_relay()

        def deliver() -> str:
            return f"delivered {relay.drain(max_rounds=50)}"

        def due_notices() -> str:
            days = self.settings.notice_due_soon_days
            return f"queued {enqueue_due_notices(self.db, self.clock, days)}"

        def expire_holds() -> str:
            return f"expired {services.circulation.expire_holds()}"

        def sweep_spaces() -> str:
            done = services.spaces.sweep()
            return f"no-shows {done.no_shows}, leaves {done.leaves_expired}, ended {done.completed}"

        def train() -> str:
            done = services.recommend.train()
            return (
                f"model {done.model_id}: {done.readers} readers, {done.borrowings} borrowings, "
                f"{done.pairs} pairs, {done.forgotten} forgotten, {done.seconds} s"
            )

        return [
            Job("outbox.deliver", 5, deliver),
            Job("spaces.sweep", 60, sweep_spaces),
            Job("events.remind", 3600, lambda: f"reminders {services.events.remind()}"),
            Job("stories.views", 60, lambda: f"views {services.stories.views.flush()}"),
            # the collection's figures the dashboards read (turnover, weeding, titles to buy)
            Job("analytics.stock", 3600, services.analytics.take_stock),
            Job("circulation.due_notices", 86400, due_notices),
            Job("circulation.expire_holds", 3600, expire_holds),
            Job(RETENTION_JOB, 3600, self.retention),
            # P11: a withdrawn reader's data leaves at the next training
            Job("recommend.train", max(1, self.settings.recommend_train_hours) * 3600, train),
        ]

    def prunings(self) -> list[Pruning]:
        """Every domain's retention, applied by the one ``retention`` job: what goes, and
        after the setting that says how long it stays."""
        services = self.services
        lookback = self.settings.credit_overdue_lookback_days
        return [
            # access_login_attempts_retention_hours: counters name cards, users, addresses
            Pruning("login attempts", services.access.prune_login_attempts),
            # idempotency_retention_days: a retried request's stored answer
            Pruning("idempotency keys", services.circulation.idempotency.purge),
            # import_upload_retention_hours: staff uploads whose import failed
            Pruning("uploads", services.uploads().expire),
            # credit_overdue_lookback_days: late-return month counts the look-back passed
            Pruning(
                "late-return months", lambda: services.deposits.forget_old_late_returns(lookback)
            ),
            # space_booking_retention_days: ended seat bookings (who sat where, when)
            Pruning("space bookings", services.spaces.prune),
            # the same days: registrations of events that ended (who came to what)
            Pruning(
                "event registrations",
                lambda: services.events.prune(self.settings.space_booking_retention_days),
            ),
            # outbox_retention_days: ids of counted activity events, kept while one could come again
            Pruning(
                "counted activity",
                lambda: services.analytics.forget_applied(self.settings.outbox_retention_days),
            ),
            # outbox_retention_days: delivered events (a notice names its reader)
            Pruning("outbox events", self._prune_outbox),
            # job_runs_retention_days: the scheduler's own record
            Pruning("job runs", self._prune_job_runs),
        ]

    def retention(self) -> str:
        """Apply every pruning; one that fails does not stop the others, and the run is
        recorded as failed (with what each did) so that the next hour tries again."""
        done: list[str] = []
        failed: list[str] = []
        for pruning in self.prunings():
            try:
                done.append(f"{pruning.name} {pruning.run()}")
            except Exception as exc:
                log.exception("retention: %s failed", pruning.name)
                failed.append(f"{pruning.name} failed ({type(exc).__name__}: {exc})")
        if failed:
            raise RetentionError(", ".join(done + failed))
        return ", ".join(done)

    def _prune_outbox(self) -> int:
        before = self._days_ago(self.settings.outbox_retention_days)
        return 0 if before is None else prune_delivered(self.db, before)

    def _prune_job_runs(self) -> int:
        before = self._days_ago(self.settings.job_runs_retention_days)
        return 0 if before is None else prune_runs(self.db, before)

    def _days_ago(self, days: int) -> datetime | None:
        """The cut-off ``days`` before now; None (keep everything) for 0 or less."""
        return self.clock.now() - timedelta(days=days) if days > 0 else None

    def outbox_handlers(self) -> dict[str, Handler]:
        services = self.services
        channel = services.notice_channel or SmtpChannel(
            host=self.settings.smtp_host,
            port=self.settings.smtp_port,
            sender=self.settings.smtp_sender,
            username=self.settings.smtp_username,
            password=self.settings.smtp_password.reveal(),
            starttls=self.settings.smtp_starttls,
        )
        notices = NoticeHandler(
            self.db,
            self.clock,
            channel,
            self.settings.library_name,
            page_languages(self.settings.notice_languages),
        )
        confirmations = ConfirmationMailer(
            services.readers,
            channel,
            self.settings.library_name,
            confirm_link(self.settings),
        )
        event_mail = EventMailer(services.events, channel, self.settings.library_name, self.clock)
        return {
            NOTICE_TOPIC: notices,
            CONFIRM_TOPIC: confirmations,
            RECORD_CHANGED: services.search.handle_event
            if self.follow_search
            else _index_elsewhere,
            ALERT_TOPIC: services.kiosk_alerts.handle,  # S-3: a log line and the staff's alerts
            WISH_NOTICE_TOPIC: WishNoticeHandler(
                self.db, self.clock, channel, self.settings.library_name
            ),
            REMINDER_TOPIC: event_mail,
            LOAN_ACTIVITY: services.analytics.handle,  # the statistics' counters (P17)
            # wishes, visits, story views, events, kiosk sessions: the other counters
            **{topic: services.analytics.handle_tally for topic in TALLY_TOPICS},
            BORROWED: services.recommend.handle,  # a consenting reader's checkout (P11)
            PROMOTED_TOPIC: event_mail,
            # acquisitions' and events' news for the wish wall (holds for the wishers)
            **WishArrivals(self.db, self.clock, services.circulation).handlers(),
        }


def _index_elsewhere(event: Event) -> None:
    """A record change delivered by a process that keeps no search index: nothing to do
    here. Each searching process's follower reads the change from the outbox table itself."""
