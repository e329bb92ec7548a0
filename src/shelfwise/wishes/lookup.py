"""The wish form's lookup: our catalogue first ("we have it — place a hold"), then other
libraries over SRU, so a reader can wish for a book as another library describes it.

Other libraries are the configured remote catalogues (``copy_cataloguing_targets``, the
same ones copy cataloguing uses), asked through the catalogue's
:class:`~shelfwise.catalogue.remote.RemoteCatalogue` port; only SRU targets, since a
reader waits for this answer. A target that cannot be asked is named with its reason and
the others still answer. A book found elsewhere whose ISBN we hold is ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shelfwise.catalogue.remote import RemoteCatalogue, RemoteSearchError, TargetKind, Words
from shelfwise.catalogue.service import CatalogueService
from shelfwise.core import isbn as isbns
from shelfwise.search.models import Filters, SearchRequest
from shelfwise.search.service import SearchService
from shelfwise.wishes import wording as w
from shelfwise.wishes.models import AUTHOR_MAX, TITLE_MAX

OURS = 5  # our records shown
PER_TARGET = 5  # records asked of each other library


@dataclass(frozen=True, slots=True)
class Candidate:
    """A book a lookup found: ours (``record_id``: place a hold), or another library's
    (``source``: its name; a wish can start from it)."""

    title: str
    author: str = ""
    isbn: str | None = None
    record_id: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Lookup:
    words: str
    ours: list[Candidate] = field(default_factory=list)
    elsewhere: list[Candidate] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # "library: why"


class WishLookup:
    def __init__(
        self,
        search: SearchService,
        catalogue: CatalogueService,
        remote: RemoteCatalogue | None,
    ) -> None:
        self._search = search
        self._catalogue = catalogue
        self._remote = remote

    def lookup(self, text: str) -> Lookup:
        """What ``text`` (a title, an author, an ISBN) finds here, then elsewhere. An ISBN
        we hold answers at once: no other library is asked."""
        words = w.clean(text, "title", TITLE_MAX, required=True)
        isbn = w.checked_isbn(words) if _looks_like_isbn(words) else None
        if isbn is not None:
            held = self._catalogue.record_with_isbn(isbn)
            if held is not None:
                title = self._catalogue.title(held)
                return Lookup(words, ours=[Candidate(title, "", isbn, held)])
        ours = self._ours(isbn or words)
        elsewhere, unreachable = self._elsewhere(isbn or words)
        mine = {c.record_id for c in ours}
        kept: list[Candidate] = []
        for found in elsewhere:
            held = self._catalogue.record_with_isbn(found.isbn) if found.isbn else None
            if held is None:
                kept.append(found)
            elif held not in mine:  # another library's description of a book we hold
                ours.append(Candidate(found.title, found.author, found.isbn, held))
                mine.add(held)
        return Lookup(words, ours, kept, unreachable)

    def _ours(self, words: str) -> list[Candidate]:
        found = self._search.search(
            SearchRequest(q=words, filters=Filters(), size=OURS, group=False, facets=False)
        )
        return [
            Candidate(r.title, r.author or "", None, r.record_id)
            for work in found.works
            for r in work.records
        ][:OURS]

    def _elsewhere(self, words: str) -> tuple[list[Candidate], list[str]]:
        if self._remote is None:
            return [], []
        found: list[Candidate] = []
        unreachable: list[str] = []
        for target in self._remote.targets():
            if target.kind is not TargetKind.SRU:
                continue
            try:
                result = self._remote.search(target, Words(words), maximum=PER_TARGET)
            except RemoteSearchError as exc:
                unreachable.append(f"{target.label}: {exc.reason}")
                continue
            for record in result.records:
                described = record.description
                if not described.title:
                    continue
                author = next((a.name for a in described.agents if a.primary), None)
                author = author or (described.agents[0].name if described.agents else "")
                found.append(
                    Candidate(
                        described.title[:TITLE_MAX],
                        author[:AUTHOR_MAX],
                        described.isbns[0] if described.isbns else None,
                        None,
                        target.label,
                    )
                )
        return found, unreachable


def _looks_like_isbn(text: str) -> bool:
    raw = isbns.compact(text)
    return len(raw) in (10, 13) and raw[:-1].isdigit()
