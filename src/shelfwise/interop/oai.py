"""OAI-PMH 2.0 at ``/oai``: the six verbs over the catalogue, with its own XML errors.

* formats ``oai_dc`` (from the normalised description), ``marc21`` (the master as
  MARC 21: CNMARC and KORMARC records converted, ``marc/crosswalk.py``) and
  ``unimarc`` (a CNMARC/UNIMARC master as it was catalogued, in MarcXchange;
  only records catalogued in UNIMARC have it);
* sets ``branch:<code>`` (records with a copy at that branch) and
  ``language:<code>`` (as catalogued, ISO 639-2), under the parents ``branch``
  and ``language``; and ``media``: digital objects (issue 17), ``oai_dc`` only, with
  their captions per language, rights and IIIF manifest (``oai:<repo>:media-<id>``); an
  object withdrawn to staff is served as deleted;
* deleted records are persistent: a merged or withdrawn record (it has a
  tombstone) is served with ``status="deleted"`` forever;
* datestamps are the record's ``updated_at`` to the second (``YYYY-MM-DDThh:mm:ssZ``);
* resumption tokens are stateless (``resumption.py``) and expire after a day.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from lxml import etree

from shelfwise.catalogue.harvest import ChangedRecord, ChangeQuery
from shelfwise.catalogue.models import RECORD_ID_MAX
from shelfwise.config import SettingsError
from shelfwise.interop import dublin_core
from shelfwise.interop.resumption import Position, TokenCodec, epoch, from_epoch
from shelfwise.marc.marcxml import (
    MARCXCHANGE,
    MARCXCHANGE_XSD,
    SLIM,
    SLIM_XSD,
    record_to_element,
)
from shelfwise.media.models import Access, MediaObject

if TYPE_CHECKING:
    from shelfwise.interop.bundle import InteropServices

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_XSD = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
FORMATS = {
    "oai_dc": (dublin_core.OAI_DC_XSD, dublin_core.OAI_DC),
    "marc21": (SLIM_XSD, SLIM),
    "unimarc": (MARCXCHANGE_XSD, MARCXCHANGE),
}
UNIMARC_ONLY = "unimarc"  # the one format only some records (those catalogued in it) have
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
# What XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return; lone
# surrogates; U+FFFE and U+FFFF.  An argument holding one is refused (badArgument).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TOKEN_LIFETIME = timedelta(hours=24)
MEDIA_SET = "media"
# Records and digital objects are listed in one (datestamp, key) order: an object's key is
# its id past every record id, so at one datestamp records come first and a resumption
# token's last key says which of the two it stopped in.
MEDIA_KEY = RECORD_ID_MAX + 1
Item = ChangedRecord | MediaObject


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Harvest:
    prefix: str
    set_spec: str | None
    since: datetime | None
    until: datetime | None


def _q(name: str) -> str:
    return f"{{{OAI}}}{name}"


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(text: str, *, end_of_day: bool) -> tuple[datetime, str]:
    """A datestamp at day or second granularity, with which one it was."""
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return (day + timedelta(seconds=86399) if end_of_day else day), "day"
        if len(text) == 20:
            return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
    except ValueError:
        pass
    raise OaiError("badArgument", f"{text!r} is not a datestamp ({GRANULARITY} or YYYY-MM-DD)")


def _page_size(value: int) -> int:
    if value < 1:
        raise SettingsError(f"oai_page_size: {value} is not a page size (at least 1)")
    return value


class OaiProvider:
    """Answers one OAI-PMH request (arguments in, XML out); the router only does HTTP."""

    def __init__(self, services: InteropServices, *, page_size: int | None = None) -> None:
        self.services = services
        self.page_size = _page_size(services.page_size if page_size is None else page_size)
        self.repository_id = services.repository_identifier  # checked at load
        name = services.library_name
        self.tokens = TokenCodec(hashlib.sha256(f"shelfwise-oai:{name}".encode()).digest())

    # --- request → response --------------------------------------------------------------

    def respond(self, args: Mapping[str, list[str]], base_url: str) -> bytes:
        now = self.services.clock.now()
        root = etree.Element(_q("OAI-PMH"), nsmap={None: OAI, "xsi": XSI})  # type: ignore[dict-item]
        root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_XSD}")
        etree.SubElement(root, _q("responseDate")).text = datestamp(now)
        request = etree.SubElement(root, _q("request"))
        request.text = base_url
        try:
            verb, single = self._check(args)
            for name, value in single.items():
                request.set(name, value)
            root.append(self._verb(verb, single, now, base_url))
        except OaiError as exc:
            if exc.code in ("badVerb", "badArgument"):
                request.attrib.clear()  # the spec: no attributes when the request was bad
            etree.SubElement(root, _q("error"), code=exc.code).text = exc.message
        return etree.tostring(root, encoding="UTF-8", xml_declaration=True)

    def _check(self, args: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
        for name, values in args.items():
            for text in (name, *values):
                if _NOT_XML.search(text):
                    raise OaiError(
                        "badArgument",
                        f"the argument {name!r} holds a control character: {text!r}",
                    )
        verbs = args.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
            raise OaiError("badVerb", "the verb is missing, repeated or not an OAI-PMH verb")
        verb = verbs[0]
        required, optional = ARGUMENTS[verb]
        single: dict[str, str] = {"verb": verb}
        for name, values in args.items():
            if name == "verb":
                continue
            if name not in required | optional:
                raise OaiError("badArgument", f"{verb} does not take {name!r}")
            if len(values) != 1:
                raise OaiError("badArgument", f"{name!r} is repeated")
            single[name] = values[0]
        if "resumptionToken" in single:
            if len(single) > 2:
                raise OaiError("badArgument", "resumptionToken is an exclusive argument")
            return verb, single
        missing = sorted(required - set(single))
        if missing:
            raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
        return verb, single

    def _verb(
        self, verb: str, args: dict[str, str], now: datetime, base_url: str
    ) -> etree._Element:
        if verb == "Identify":
            return self._identify(base_url)
        if verb == "ListMetadataFormats":
            return self._formats(args.get("identifier"))
        if verb == "ListSets":
            return self._sets(args.get("resumptionToken"))
        if verb == "GetRecord":
            return self._get_record(args["identifier"], args["metadataPrefix"], base_url)
        return self._list(verb, args, now, base_url)

    # --- verbs ---------------------------------------------------------------------------

    def _identify(self, base_url: str) -> etree._Element:
        out = etree.Element(_q("Identify"))
        stamps = [self.services.catalogue.earliest_change(), self.services.media.earliest_change()]
        earliest = min((s for s in stamps if s is not None), default=self.services.clock.now())
        for name, value in (
            ("repositoryName", self.services.library_name),
            ("baseURL", base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", self.services.admin_email),
            ("earliestDatestamp", datestamp(earliest)),
            ("deletedRecord", "persistent"),
            ("granularity", GRANULARITY),
        ):
            etree.SubElement(out, _q(name)).text = value
        description = etree.SubElement(out, _q("description"))
        ident_ns = "http://www.openarchives.org/OAI/2.0/oai-identifier"
        ident = etree.SubElement(
            description,
            f"{{{ident_ns}}}oai-identifier",
            nsmap={None: ident_ns},  # type: ignore[dict-item]
        )
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", self.repository_id),
            ("delimiter", ":"),
            ("sampleIdentifier", self.identifier(1)),
        ):
            etree.SubElement(ident, f"{{{ident_ns}}}{name}").text = value
        return out

    def _formats(self, identifier: str | None) -> etree._Element:
        record = self._fetch(identifier) if identifier is not None else None  # idDoesNotExist
        # every record, deleted ones too, has oai_dc and marc21: noMetadataFormats never applies
        out = etree.Element(_q("ListMetadataFormats"))
        for prefix, (schema, namespace) in FORMATS.items():
            if isinstance(record, MediaObject) and prefix != "oai_dc":
                continue  # a digital object is described in Dublin Core only
            if (
                prefix == UNIMARC_ONLY
                and isinstance(record, ChangedRecord)
                and record.unimarc() is None
            ):
                continue
            fmt = etree.SubElement(out, _q("metadataFormat"))
            etree.SubElement(fmt, _q("metadataPrefix")).text = prefix
            etree.SubElement(fmt, _q("schema")).text = schema
            etree.SubElement(fmt, _q("metadataNamespace")).text = namespace
        return out

    def set_list(self) -> list[tuple[str, str]]:
        sets: list[tuple[str, str]] = []
        branches = self.services.catalogue.list_branches()
        if branches:
            sets.append(("branch", "Held at a branch"))
            sets += [(f"branch:{b.code}", b.name_en or b.name_zh) for b in branches]
        languages = self.services.catalogue.record_languages()
        if languages:
            sets.append(("language", "By language of the text"))
            sets += [(f"language:{code}", f"Language {code} (ISO 639-2)") for code in languages]
        if self.services.media.earliest_change() is not None:
            sets.append((MEDIA_SET, "Digital objects: scans, photographs, documents, sound, video"))
        return sets

    def _sets(self, token: str | None) -> etree._Element:
        if token is not None:
            raise OaiError("badResumptionToken", "ListSets is never split: no token applies")
        sets = self.set_list()
        if not sets:
            raise OaiError("noSetHierarchy", "there are no branches or records yet")
        out = etree.Element(_q("ListSets"))
        for spec, name in sets:
            entry = etree.SubElement(out, _q("set"))
            etree.SubElement(entry, _q("setSpec")).text = spec
            etree.SubElement(entry, _q("setName")).text = name
        return out

    def _get_record(self, identifier: str, prefix: str, base_url: str) -> etree._Element:
        self._format(prefix)
        record = self._fetch(identifier)
        if isinstance(record, MediaObject):
            if prefix != "oai_dc":
                raise OaiError("cannotDisseminateFormat", f"{identifier!r} is in oai_dc only")
        elif prefix == UNIMARC_ONLY and record.unimarc() is None:
            raise OaiError(
                "cannotDisseminateFormat",
                f"{identifier!r} was catalogued in {record.dialect}, not UNIMARC: use marc21",
            )
        out = etree.Element(_q("GetRecord"))
        out.append(self._record(record, prefix, base_url))
        return out

    def _list(
        self, verb: str, args: dict[str, str], now: datetime, base_url: str
    ) -> etree._Element:
        if "resumptionToken" in args:
            position = self.tokens.decode(args["resumptionToken"], now)
            if isinstance(position, str):
                raise OaiError("badResumptionToken", position)
            if position.verb != verb:
                raise OaiError("badResumptionToken", f"the token belongs to {position.verb}")
            harvest = Harvest(
                position.prefix,
                position.set_spec,
                from_epoch(position.since) if position.since is not None else None,
                from_epoch(position.until) if position.until is not None else None,
            )
            after: tuple[datetime, int] | None = (from_epoch(position.last_stamp), position.last_id)
            cursor = position.cursor
        else:
            harvest = self._harvest(args)
            after, cursor = None, 0
        query = self._query(harvest)
        page = self._page(harvest, query, after, self.page_size + 1)
        if not page and after is None:
            raise OaiError("noRecordsMatch", "no records match these arguments")
        more = len(page) > self.page_size
        page = page[: self.page_size]
        out = etree.Element(_q(verb))
        for record in page:
            if verb == "ListIdentifiers":
                out.append(self._header(record))
            else:
                out.append(self._record(record, harvest.prefix, base_url))
        if more or after is not None:
            total = self._count(harvest, query)
            token = etree.SubElement(
                out, _q("resumptionToken"), completeListSize=str(total), cursor=str(cursor)
            )
            if more:
                expires = now + TOKEN_LIFETIME
                token.set("expirationDate", datestamp(expires))
                token.text = self.tokens.encode(
                    Position(
                        harvest.prefix,
                        harvest.set_spec,
                        epoch(harvest.since),
                        epoch(harvest.until),
                        epoch(_stamp(page[-1])) or 0,
                        _key(page[-1]),
                        cursor + len(page),
                        epoch(expires) or 0,
                        verb,
                    )
                )
        return out

    def _harvest(self, args: dict[str, str]) -> Harvest:
        prefix = self._format(args["metadataPrefix"])
        since = until = None
        grains = set()
        if "from" in args:
            since, grain = parse_datestamp(args["from"], end_of_day=False)
            grains.add(grain)
        if "until" in args:
            until, grain = parse_datestamp(args["until"], end_of_day=True)
            grains.add(grain)
        if len(grains) > 1:
            raise OaiError("badArgument", "from and until must have the same granularity")
        if since is not None and until is not None and since > until:
            raise OaiError("badArgument", "from is later than until")
        set_spec = args.get("set")
        if set_spec is not None and set_spec not in {spec for spec, _ in self.set_list()}:
            if not self.set_list():
                raise OaiError("noSetHierarchy", "this repository has no sets yet")
            raise OaiError("badArgument", f"there is no set {set_spec!r}")
        return Harvest(prefix, set_spec, since, until)

    # --- pieces --------------------------------------------------------------------------

    def _format(self, prefix: str) -> str:
        if prefix not in FORMATS:
            raise OaiError("cannotDisseminateFormat", f"{prefix!r}: use oai_dc, marc21 or unimarc")
        return prefix

    @staticmethod
    def _query(harvest: Harvest) -> ChangeQuery:
        branch = language = None
        spec = harvest.set_spec or ""
        kind, _, value = spec.partition(":")
        if kind == "branch":
            branch = value or "*"
        elif kind == "language":
            language = value or "*"
        return ChangeQuery(
            since=harvest.since,
            until=harvest.until,
            branch=branch,
            language=language,
            dialect="unimarc" if harvest.prefix == UNIMARC_ONLY else None,
        )

    def identifier(self, record_id: int) -> str:
        return f"oai:{self.repository_id}:{record_id}"

    def media_identifier(self, object_id: int) -> str:
        return f"oai:{self.repository_id}:media-{object_id}"

    def _fetch(self, identifier: str) -> Item:
        head, _, number = identifier.rpartition(":")
        if head == f"oai:{self.repository_id}" and number.startswith("media-"):
            digits = number.removeprefix("media-")
            if digits.isascii() and digits.isdigit() and int(digits) <= RECORD_ID_MAX:
                found_media = self.services.media.many([int(digits)])
                if found_media:
                    return found_media[0]
        if (
            head == f"oai:{self.repository_id}"
            and number.isascii()
            and number.isdigit()
            and int(number) <= RECORD_ID_MAX
        ):
            found = self.services.catalogue.changed_records(
                ChangeQuery(record_id=int(number)), limit=1
            )
            if found:
                return found[0]
        raise OaiError("idDoesNotExist", f"{identifier!r} is not an item of this repository")

    def _header(self, record: Item) -> etree._Element:
        header = etree.Element(_q("header"))
        if isinstance(record, MediaObject):
            if record.access == Access.STAFF:
                header.set("status", "deleted")  # withdrawn from the public
            identifier = self.media_identifier(record.id)
            etree.SubElement(header, _q("identifier")).text = identifier
            etree.SubElement(header, _q("datestamp")).text = datestamp(_stamp(record))
            etree.SubElement(header, _q("setSpec")).text = MEDIA_SET
            return header
        if record.deleted:
            header.set("status", "deleted")
        etree.SubElement(header, _q("identifier")).text = self.identifier(record.id)
        etree.SubElement(header, _q("datestamp")).text = datestamp(record.datestamp)
        for code in record.branches:
            etree.SubElement(header, _q("setSpec")).text = f"branch:{code}"
        for code in record.languages:
            etree.SubElement(header, _q("setSpec")).text = f"language:{code}"
        return header

    def _record(self, record: Item, prefix: str, base_url: str) -> etree._Element:
        out = etree.Element(_q("record"))
        out.append(self._header(record))
        if isinstance(record, MediaObject):
            if record.access != Access.STAFF:
                origin = base_url.removesuffix("/oai")
                metadata = etree.SubElement(out, _q("metadata"))
                metadata.append(dublin_core.object_oai_dc(record, origin))
        elif not record.deleted:
            etree.SubElement(out, _q("metadata")).append(self._metadata(record, prefix))
        return out

    # --- records and digital objects in one order ------------------------------------------

    @staticmethod
    def _wants(harvest: Harvest) -> tuple[bool, bool]:
        """(records, digital objects) for this harvest's format and set."""
        if harvest.set_spec == MEDIA_SET:
            return False, True
        return True, harvest.prefix == "oai_dc" and harvest.set_spec is None

    def _page(
        self,
        harvest: Harvest,
        query: ChangeQuery,
        after: tuple[datetime, int] | None,
        limit: int,
    ) -> list[Item]:
        records, media = self._wants(harvest)
        found: list[Item] = []
        if records:
            upto = None if after is None else (after[0], min(after[1], RECORD_ID_MAX))
            found += self.services.catalogue.changed_records(query, after=upto, limit=limit)
        if media:
            past = None if after is None else (after[0], max(after[1] - MEDIA_KEY, 0))
            found += self.services.media.changed(
                since=harvest.since, until=harvest.until, after=past, limit=limit
            )
        found.sort(key=lambda item: (_stamp(item), _key(item)))
        return found[:limit]

    def _count(self, harvest: Harvest, query: ChangeQuery) -> int:
        records, media = self._wants(harvest)
        total = self.services.catalogue.count_changed(query) if records else 0
        if media:
            total += self.services.media.count_changed(harvest.since, harvest.until)
        return total

    @staticmethod
    def _metadata(record: ChangedRecord, prefix: str) -> etree._Element:
        if prefix == "marc21":
            return record_to_element(record.marc21())
        if prefix == UNIMARC_ONLY:
            # Listed only for records catalogued in UNIMARC (ChangeQuery.dialect); a record
            # re-catalogued in another dialect mid-harvest is served in MarcXchange as it is.
            return record_to_element(
                record.marc,
                namespace=MARCXCHANGE,
                attributes={"format": str(record.dialect).upper(), "type": "Bibliographic"},
            )
        return dublin_core.oai_dc(record.description, record.id)


def _stamp(item: Item) -> datetime:
    if isinstance(item, MediaObject):
        return item.updated_at or item.created_at
    return item.datestamp


def _key(item: Item) -> int:
    return MEDIA_KEY + item.id if isinstance(item, MediaObject) else item.id


def method_not_allowed(method: str, allow: str, base_url: str, now: datetime) -> Response:
    """405 for an HTTP method OAI-PMH does not use (3.1.1: GET and POST), as an OAI-PMH
    response whose error says which methods to use."""
    root = etree.Element(_q("OAI-PMH"), nsmap={None: OAI, "xsi": XSI})  # type: ignore[dict-item]
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_XSD}")
    etree.SubElement(root, _q("responseDate")).text = datestamp(now)
    etree.SubElement(root, _q("request")).text = base_url
    message = f"OAI-PMH requests are sent with {allow}, not {method}"
    etree.SubElement(root, _q("error"), code="badArgument").text = message
    return Response(
        etree.tostring(root, encoding="UTF-8", xml_declaration=True),
        status_code=405,
        media_type="text/xml; charset=utf-8",
        headers={"Allow": allow},
    )


def install(app: FastAPI, services: InteropServices, *, page_size: int | None = None) -> None:
    """``/oai`` on ``app``, answered by one provider over ``services`` (kept on ``app.state``;
    built here, so that a page size it refuses stops the start); ``page_size`` overrides the
    ``oai_page_size`` setting."""
    app.state.oai = OaiProvider(services, page_size=page_size)
    app.include_router(router)


def provider_of(request: Request) -> OaiProvider:
    provider: OaiProvider = request.app.state.oai
    return provider


router = APIRouter(tags=["interop"])


@router.api_route("/oai", methods=["GET", "POST"], include_in_schema=False)
async def handle(
    request: Request, provider: Annotated[OaiProvider, Depends(provider_of)]
) -> Response:
    """``GET``/``POST /oai`` (form-encoded POST as the protocol allows)."""
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", "replace")
        pairs += parse_qsl(body, keep_blank_values=True)
    args: dict[str, list[str]] = {}
    for key, value in pairs:
        args.setdefault(key, []).append(value)
    base_url = str(request.url.replace(query=""))
    return Response(provider.respond(args, base_url), media_type="text/xml; charset=utf-8")
