"""PostgreSQL's own tools for the backup: ``pg_dump -Fc`` from a shared snapshot, ``pg_restore``.

The dump is taken from a snapshot exported by the backup's REPEATABLE READ transaction
(``pg_export_snapshot()`` and ``pg_dump --snapshot``), so the rows it holds are exactly
the rows the same transaction hashes for the manifest, while the library goes on
lending. The connection details reach the tools through libpq's environment variables,
never the command line, where ``ps`` would show the password.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class ToolError(RuntimeError):
    """A PostgreSQL tool is missing or failed; the message says what to do."""


def libpq_environment(url: str) -> dict[str, str]:
    """The process environment plus PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE."""
    parsed = make_url(url)
    env = dict(os.environ)
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"):
        env.pop(key, None)
    values = {
        "PGHOST": parsed.host,
        "PGPORT": None if parsed.port is None else str(parsed.port),
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password if isinstance(parsed.password, str) else None,
        "PGDATABASE": parsed.database,
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolError(
            f"{name} is not installed: install the PostgreSQL client "
            f"(Debian: apt-get install postgresql-client) in the server's major version or newer"
        )
    return found


def dump(url: str, snapshot: str, out: Path) -> None:
    """``pg_dump -Fc`` of the database at ``url`` as the exported ``snapshot`` sees it."""
    _run([tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={out}"], url)


def restore(url: str, dump_file: Path, *, replace: bool) -> None:
    """``pg_restore`` into the database at ``url``, in one transaction, stopping at an error.

    ``replace``: drop what the dump holds first (``--clean --if-exists``), for a database
    that already has a Shelfwise schema."""
    command = [
        tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={make_url(url).database}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump_file)], url)


def _run(command: list[str], url: str) -> None:
    done = subprocess.run(
        command, env=libpq_environment(url), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        name = Path(command[0]).name
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise ToolError(f"{name} failed ({done.returncode}): {' / '.join(detail[-3:])}")
