"""docs/requirements.md defines every rule id the code, the tests and the docs cite.

A citation is a ``P<n>``, ``S-<n>`` or ``D<n>`` in a Python comment or docstring
(``src/``, ``tests/``, ``bench/``) or in the prose of ``docs/*.md`` and the
README (``docs/settings.md`` carries the settings' help texts). Text in
backticks is code, not a citation: write a call number such as ``P98`` there.
The test names the requirements page gives must exist, so its rows stay true.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "docs" / "requirements.md"
EXPECTED = (
    {f"P{n}" for n in range(1, 18)}
    | {f"S-{n}" for n in range(1, 11)}
    | {f"D{n}" for n in range(1, 17)}
)
# Not after a letter, digit, '.' or '-' (an LC Cutter ``QA76.9.D3``, a code ``ABC-S-1``).
CITATION = re.compile(r"(?<![\w.\-])(P\d+|S-\d+|D\d+)(?![\w\-])")
CODE_SPAN = re.compile(r"(`+).*?\1", re.DOTALL)
# def/class names and module-level assignments (TestCirculationModel = ...).
DEFINITION = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)|^(\w+)\s*=", re.MULTILINE)
STATEMENT_START = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


def defined_ids() -> set[str]:
    text = REQUIREMENTS.read_text(encoding="utf-8")
    return set(re.findall(r"^\| (P\d+|S-\d+|D\d+) \|", text, flags=re.MULTILINE))


def citations(text: str) -> set[str]:
    return set(CITATION.findall(CODE_SPAN.sub("", text)))


def python_prose(source: str) -> Iterator[str]:
    """The comments and docstrings of a module: where a rule is cited, not test data.

    A docstring is a string that is a statement of its own (tokens only: parsing
    every module into an AST would cost this test several times as long)."""
    previous = tokenize.NEWLINE
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for i, token in enumerate(tokens):
        if token.type == tokenize.COMMENT:
            yield token.string
        elif token.type == tokenize.STRING and previous in STATEMENT_START:
            following = next((t for t in tokens[i + 1 :] if t.type != tokenize.COMMENT), None)
            if following is None or following.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                yield token.string
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type


def cited_ids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for folder in ("src", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "fixtures" in path.relative_to(ROOT).parts:
                continue
            for chunk in python_prose(path.read_text(encoding="utf-8")):
                for rule in citations(chunk):
                    found.setdefault(rule, set()).add(str(path.relative_to(ROOT)))
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        if path == REQUIREMENTS:
            continue
        prose = FENCE.sub("", path.read_text(encoding="utf-8"))
        for rule in citations(prose):
            found.setdefault(rule, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_requirements_page_defines_every_rule_once() -> None:
    text = REQUIREMENTS.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (P\d+|S-\d+|D\d+) \|", text, flags=re.MULTILINE)
    assert len(rows) == len(set(rows)), "a rule has two rows"
    assert set(rows) == EXPECTED


def test_every_cited_rule_is_defined() -> None:
    defined = defined_ids()
    undefined = {rule: sorted(where) for rule, where in cited_ids().items() if rule not in defined}
    assert not undefined, f"cited but not defined in docs/requirements.md: {undefined}"


def test_the_scan_sees_citations_and_skips_code() -> None:
    source = (
        '"""Checks P7 and S-10."""\n# the D17 figure\nx = "P3"  # call number `P98`, QA76.9.D3\n'
    )
    seen = set().union(*(citations(chunk) for chunk in python_prose(source)))
    assert seen == {"P7", "S-10", "D17"}  # a string that is data (P3) is not a citation
    assert "D17" not in defined_ids()


def test_the_tests_the_page_names_exist() -> None:
    named = set(re.findall(r"`(test_\w+|Test\w+)(?:\[[^\]]*\])?`", REQUIREMENTS.read_text("utf-8")))
    assert len(named) > 60
    defined: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for name, assigned in DEFINITION.findall(path.read_text(encoding="utf-8")):
            defined.add(name or assigned)
    assert sorted(named - defined) == []
