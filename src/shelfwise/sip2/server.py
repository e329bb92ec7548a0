"""The SIP2 server: asyncio listeners that frame messages and hand them to sessions.

A plain TCP listener binds to loopback unless the configuration names kiosk
networks (S-1); a TLS 1.2+ listener starts when a certificate and key are set.
Each connection gets a :class:`Session`; its work (database, Argon2) runs on a
bounded thread pool so a slow PIN check never stalls the event loop. A
connection that does not speak SIP (a TLS ClientHello on the plain port,
garbage, a message over the length cap) is closed cleanly and the server goes
on (S-9).

Connections that have not logged in cannot crowd out kiosks: each must log in
within ``login_timeout`` of opening; at most ``max_unauthenticated`` of them are
open at once, and ``max_unauthenticated_per_address`` from one address — a newer
one closes the oldest (of its address first), so idle sockets can only ever
hold a small, fixed part of ``max_connections`` and the rest is kept for
logged-in terminals. A logged-in connection is closed when no *complete* message
has arrived for ``idle_timeout``: a byte at a time does not keep it open.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field

from shelfwise.config import Settings
from shelfwise.kiosks.terminals import Network, parse_networks
from shelfwise.sip2.backoff import LoginBackoff
from shelfwise.sip2.handlers import ANSWERS
from shelfwise.sip2.session import KioskServices, Session
from shelfwise.sip2.shared_state import RecentCheckouts, TerminalSlots

log = logging.getLogger("shelfwise.sip2")

_TERMINATORS = (b"\r", b"\n")


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 6001
    allowed_networks: tuple[Network, ...] = ()
    tls_host: str = "0.0.0.0"
    tls_port: int = 6002
    tls_cert: str = ""
    tls_key: str = ""
    max_message_bytes: int = 8192
    idle_timeout: float = 300.0
    login_timeout: float = 10.0
    max_connections: int = 200
    max_unauthenticated: int = 32
    max_unauthenticated_per_address: int = 8
    max_connections_per_terminal: int = 4
    login_failures: int = 5
    login_backoff_seconds: int = 60
    login_backoff_max_seconds: int = 3600
    cancel_window_seconds: float = 10.0
    workers: int = 16

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerConfig:
        return cls(
            host=settings.sip2_host,
            port=settings.sip2_port,
            allowed_networks=parse_networks(settings.sip2_allowed_networks),
            tls_host=settings.sip2_tls_host,
            tls_port=settings.sip2_tls_port,
            tls_cert=settings.sip2_tls_cert,
            tls_key=settings.sip2_tls_key,
            max_message_bytes=settings.sip2_max_message_bytes,
            idle_timeout=settings.sip2_idle_timeout_seconds,
            login_timeout=settings.sip2_login_timeout_seconds,
            max_connections=settings.sip2_max_connections,
            max_unauthenticated=settings.sip2_max_unauthenticated,
            max_unauthenticated_per_address=settings.sip2_max_unauthenticated_per_address,
            max_connections_per_terminal=settings.sip2_max_connections_per_terminal,
            login_failures=settings.sip2_login_failures,
            login_backoff_seconds=settings.sip2_login_backoff_seconds,
            login_backoff_max_seconds=settings.sip2_login_backoff_max_seconds,
            cancel_window_seconds=settings.sip2_checkin_cancel_seconds,
        )

    @property
    def tls_enabled(self) -> bool:
        return bool(self.tls_cert and self.tls_key and self.tls_port >= 0)


@dataclass(eq=False)
class _Connection:
    """One open connection as the server counts it."""

    peer: str
    writer: asyncio.StreamWriter
    session: Session
    opened: float  # event-loop time
    busy: bool = False  # a message is being handled (a login's Argon2, a checkout)
    closing: list[str] = field(default_factory=list)  # why the server hung up, if it did


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Sip2Server:
    def __init__(self, services: KioskServices, config: ServerConfig) -> None:
        if config.port >= 0 and not is_loopback(config.host) and not config.allowed_networks:
            raise ValueError(
                f"the plain SIP2 listener on {config.host} needs sip2_allowed_networks "
                "(plain text is for loopback or an allow-listed kiosk network only, S-1)"
            )
        self.services = services
        self.config = config
        self.slots = TerminalSlots(config.max_connections_per_terminal)
        self.backoff = LoginBackoff(
            services.lockout,
            failures=config.login_failures,
            seconds=config.login_backoff_seconds,
            max_seconds=config.login_backoff_max_seconds,
        )
        self.recent = RecentCheckouts(config.cancel_window_seconds, services.clock)
        self.addresses: list[tuple[str, int, bool]] = []  # (host, port, tls)
        self._servers: list[asyncio.Server] = []
        self._open: dict[asyncio.Task[None], _Connection] = {}
        # Connections not logged in yet, oldest first (a dict keeps insertion order).
        self._waiting: dict[_Connection, None] = {}
        self.accepted = 0  # connections accepted since the start (refused ones included)
        self._executor = ThreadPoolExecutor(config.workers, thread_name_prefix="sip2")

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        config = self.config
        if config.port >= 0:  # 0: any free port (tests)
            plain = await asyncio.start_server(self._plain, config.host, config.port)
            self._remember(plain, tls=False)
        if config.tls_enabled:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(config.tls_cert, config.tls_key)
            secure = await asyncio.start_server(
                self._secure, config.tls_host, config.tls_port, ssl=context
            )
            self._remember(secure, tls=True)

    def _remember(self, server: asyncio.Server, *, tls: bool) -> None:
        self._servers.append(server)
        host, port = server.sockets[0].getsockname()[:2]
        self.addresses.append((str(host), int(port), tls))
        log.info("sip2 listening on %s:%s (%s)", host, port, "TLS" if tls else "plain")

    async def serve_forever(self) -> None:
        if not self._servers:
            await self.start()
        try:
            await asyncio.gather(*(s.serve_forever() for s in self._servers))
        finally:
            await self.stop()

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        # Open connections end before the loop does: hang up, let each handler finish
        # (the reader sees EOF), and cancel only what is still running after that.
        for connection in list(self._open.values()):
            connection.writer.close()
        if self._open:
            await asyncio.wait(list(self._open), timeout=10)
        current = asyncio.current_task()
        for _ in range(10):
            pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
            if not pending:
                break
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for server in self._servers:
            with suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
        self._servers.clear()
        self._executor.shutdown(wait=True)
        for _ in range(5):  # let transports run their connection_lost callbacks
            await asyncio.sleep(0)

    def in_thread(self) -> AbstractContextManager[Sip2Server]:
        """Run on an event loop of its own in a daemon thread (beside uvicorn, in tests)."""
        return running(self)

    @property
    def port(self) -> int:
        return next(port for _, port, tls in self.addresses if not tls)

    @property
    def active(self) -> int:
        """Connections open now (a displaced one no longer counts)."""
        return len(self._open)

    @property
    def unauthenticated(self) -> int:
        """Open connections that have not logged in yet."""
        return len(self._waiting)

    # --- connections -------------------------------------------------------------------

    async def _plain(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._connection(reader, writer, tls=False)

    async def _secure(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._connection(reader, writer, tls=True)

    def _allowed(self, peer: str, *, tls: bool) -> bool:
        if tls or is_loopback(peer):
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        if any(address in network for network in self.config.allowed_networks):
            return True
        log.warning("sip2 plain connection from %s is outside sip2_allowed_networks", peer)
        return False

    def _make_room(self, peer: str) -> bool:
        """Room for one more connection not yet logged in, closing older ones if need be.

        Runs on the event loop between awaits, so counting and registering are atomic.
        Only idle connections that have not logged in are ever closed to make room: a
        newer one displaces the oldest of its own address first, then the oldest of
        all. One whose login is being checked is not idle (kiosks behind one address
        reconnecting at once all get their answer); if none is idle the caps before
        login give way, the total cap does not: when every slot holds a logged-in
        terminal or a login in progress, the new connection is refused.
        """
        config = self.config
        same = [c for c in self._waiting if c.peer == peer and not c.busy]
        if len(same) >= max(config.max_unauthenticated_per_address, 1):
            self._displace(same[0], "too many connections from this address before login")
        idle = [c for c in self._waiting if not c.busy]
        if len(self._waiting) >= max(config.max_unauthenticated, 1) and idle:
            self._displace(idle[0], "too many connections before login")
            idle = idle[1:]
        if len(self._open) >= config.max_connections:
            if not idle:
                log.warning("sip2 connection cap reached; refused %s", peer)
                return False
            self._displace(idle[0], "connection cap reached")
        return True

    def _displace(self, victim: _Connection, why: str) -> None:
        """Close a connection that has not logged in, to make room for a newer one."""
        victim.closing.append(f"closed: displaced ({why})")
        self._waiting.pop(victim, None)
        for task, connection in list(self._open.items()):
            if connection is victim:
                del self._open[task]
        victim.writer.close()

    async def _connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, tls: bool
    ) -> None:
        peername = writer.get_extra_info("peername")
        peer = str(peername[0]) if peername else "?"
        self.accepted += 1
        if not self._allowed(peer, tls=tls) or not self._make_room(peer):
            await _close(writer)
            return
        loop = asyncio.get_running_loop()
        session = Session(self.services, peer, self.slots, self.backoff, self.recent, ANSWERS)
        connection = _Connection(peer, writer, session, loop.time())
        task = asyncio.current_task()
        if task is not None:
            self._open[task] = connection
        self._waiting[connection] = None
        try:
            buffer = b""
            while True:
                frame, buffer = await self._next_frame(reader, buffer, connection)
                if frame is None:
                    break
                connection.busy = True
                reply = await loop.run_in_executor(self._executor, session.handle, frame)
                connection.busy = False
                if session.terminal is not None:
                    self._waiting.pop(connection, None)
                if reply.data:
                    writer.write(reply.data)
                    await writer.drain()
                if reply.close:
                    break
        except (ConnectionError, OSError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        except Exception:  # one broken session must not take the server down
            log.exception("sip2 session failed (peer %s)", peer)
        finally:
            self._waiting.pop(connection, None)
            if task is not None:
                self._open.pop(task, None)
            for why in connection.closing:
                session._log("--", None, why)
            writer.close()
            # The statistics are written even when the server is stopping.
            closing = loop.run_in_executor(self._executor, session.close)
            with suppress(Exception, asyncio.CancelledError):
                await asyncio.shield(closing)

    async def _next_frame(
        self, reader: asyncio.StreamReader, buffer: bytes, connection: _Connection
    ) -> tuple[bytes | None, bytes]:
        """The next message up to CR or LF; None to close (EOF, timeout, not SIP, too long).

        The deadline is set once per message, not per read: before login it is the
        login deadline, after it ``idle_timeout`` from the end of the previous message,
        so a client trickling bytes of a message it never finishes is still closed.
        """
        limit = self.config.max_message_bytes
        session = connection.session
        loop = asyncio.get_running_loop()
        if session.terminal is None:
            deadline, expired = connection.opened + self.config.login_timeout, "no login in time"
        else:
            deadline, expired = loop.time() + self.config.idle_timeout, "idle"
        while True:
            buffer = buffer.lstrip(b"\r\n")
            if buffer and not buffer[:1].isdigit():
                # Not a SIP command: a TLS ClientHello (0x16), HTTP, a port scanner.
                session._log("??", None, "closed: not SIP (first byte is not a digit)")
                return None, b""
            ends = [i for i in (buffer.find(t) for t in _TERMINATORS) if i >= 0]
            if ends:
                end = min(ends) + 1
                if end - 1 > limit:
                    session._log("??", None, f"closed: message over {limit} bytes")
                    return None, b""
                return buffer[:end], buffer[end:]
            if len(buffer) > limit:
                session._log("??", None, f"closed: message over {limit} bytes")
                return None, b""
            try:
                if deadline <= loop.time():
                    raise TimeoutError
                # Not wait_for: on Python 3.11 it wraps every read in a task of its own.
                async with asyncio.timeout_at(deadline):
                    chunk = await reader.read(4096)
            except TimeoutError:
                session._log("--", None, f"closed: {expired}")
                return None, b""
            if not chunk:
                return None, b""
            buffer += chunk


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with suppress(Exception):
        await asyncio.wait_for(writer.wait_closed(), 5)


@contextmanager
def running(server: Sip2Server) -> Iterator[Sip2Server]:
    """Run ``server`` on its own event loop in a daemon thread (tests, ``shelfwise serve``)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []

    def main() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:
            failure.append(exc)
            started.set()
            return
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=main, name="sip2-server", daemon=True)
    thread.start()
    started.wait(30)
    if failure:
        loop.close()
        raise failure[0]
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()
