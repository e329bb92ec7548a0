"""``python -m shelfwise`` is the ``shelfwise`` command."""

from shelfwise.cli.main import run

run()
