"""The library process the power-loss test cuts: clients lending and taking back copies.

    python child.py SETTINGS_JSON CLIENTS_JSON

Each client thread loops checkout → check-in on its own two copies through the
circulation service (group commit and all, as a door calls it) and prints a line for
each answer the service gave — ``out <loan id>`` after a checkout, ``in <loan id>``
after its check-in — flushed at once: a line printed is an acknowledgement a reader
or a kiosk would have seen. It runs until it is killed.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading

from shelfwise import app as composition
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.errors import ShelfwiseError

_printing = threading.Lock()


def acknowledge(line: str) -> None:
    with _printing:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main() -> None:
    settings = Settings.load(json.loads(sys.argv[1]), environ={})
    clients: list[tuple[str, list[str]]] = json.loads(sys.argv[2])
    circulation = composition.build(settings, migrate_db=False).circulation

    def lend(card: str, barcodes: list[str]) -> None:
        for barcode in barcodes:  # a loan the last cut left open is taken back first
            with contextlib.suppress(ShelfwiseError):
                circulation.checkin(barcode, "CEN", actor=SYSTEM)
        turn = 0
        while True:
            barcode = barcodes[turn % len(barcodes)]
            turn += 1
            loan = circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
            acknowledge(f"out {loan.id}")
            circulation.checkin(barcode, "CEN", actor=SYSTEM)
            acknowledge(f"in {loan.id}")

    threads = [threading.Thread(target=lend, args=client, daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
