"""What the interoperability door is handed: its narrow bundle (issue 14 item 2).

SRU and OAI-PMH read the catalogue (records, their changes, branches, languages) and
search (queries, counts, headings), ask the clock, and show a few of the library's
settings, and describe digital objects. The composition root (``app.py``) fills this from the services and the
settings; the door never sees the whole bundle, nor any other setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.catalogue.service import CatalogueService
from shelfwise.core.clock import Clock
from shelfwise.media.service import MediaService
from shelfwise.search.service import SearchService


@dataclass(frozen=True, slots=True)
class InteropServices:
    catalogue: CatalogueService
    search: SearchService
    clock: Clock
    media: MediaService  # digital objects in OAI-PMH (their descriptions, never bytes)
    library_name: str  # SRU's explain title, OAI-PMH's repositoryName
    admin_email: str  # OAI-PMH's adminEmail: the address notices come from
    repository_identifier: str  # oai:<it>:<record id>, checked when the settings load
    page_size: int  # OAI-PMH records per list page (oai_page_size)
