"""Log lines for a person (``text``) or for a log collector (``json``), chosen by ``log_format``.

``json`` writes one object per line: ``time`` (UTC, ISO 8601 with milliseconds),
``level``, ``logger``, ``message``, ``request_id`` for a line written while an HTTP
request was being answered, and every field the code passed in ``extra`` (the SIP2
door's ``terminal``, ``peer``, ``command``, ``sequence``, ``outcome``…), then
``exception`` when there is one. ``text`` is one line with the same context in
brackets. The standard library's ``logging`` does the work: a formatter and a filter
are all either format needs, and every library's records (uvicorn's access log too)
pass through the same handler.

Masking (P13) holds in both: :mod:`log_masking` masks a record's message and
arguments as it is made, but fields given in ``extra`` and exception text are added
after that, so both formatters mask what they write once more.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import IO, Any

from shelfwise.core.log_masking import mask


class LogFormat(StrEnum):
    """The choices of the ``log_format`` setting."""

    TEXT = "text"
    JSON = "json"


class LogLevel(StrEnum):
    """The choices of the ``log_level`` setting."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


FORMATS = tuple(LogFormat)
LEVELS = tuple(LogLevel)
# The HTTP request being answered (set by the request-id middleware), for every line
# written meanwhile: by the route, the services it calls, uvicorn's access log.
REQUEST_ID: ContextVar[str | None] = ContextVar("shelfwise_request_id", default=None)
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_CONTEXT = ("request_id", "terminal")
# Loggers a server library may have given handlers of its own (uvicorn's dictConfig does,
# and stops them propagating): their records go through the process's handler instead.
_LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


class ContextFilter(logging.Filter):
    """Adds ``request_id`` to every record written while a request is answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and value is not None and key not in line:
                line[key] = _masked(value)
        if record.exc_info:
            line["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=lambda v: mask(str(v)))


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s%(context)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        found = [f"{k}={getattr(record, k)}" for k in _CONTEXT if getattr(record, k, None)]
        record.context = f" [{' '.join(found)}]" if found else ""
        return mask(super().format(record))

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc(record.created)


class ShelfwiseHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The one handler a Shelfwise process writes its log through."""


def configure(
    log_format: str, level: str = "INFO", stream: IO[str] | None = None
) -> logging.Handler:
    """Send every log record of the process to ``stream`` (stderr) in ``log_format``.

    Replaces a handler an earlier call installed; leaves other handlers alone."""
    if log_format not in FORMATS:
        raise ValueError(f"log_format must be one of {', '.join(FORMATS)}, not {log_format!r}")
    if level.upper() not in LEVELS:
        raise ValueError(f"log_level must be one of {', '.join(LEVELS)}, not {level!r}")
    handler = ShelfwiseHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, ShelfwiseHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in _LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    return handler


def _utc(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return mask(str(value))
