"""The mapping tables compiled, once per dialect, into plain functions.

:meth:`Rule.apply <shelfwise.marc.mapping_rules.Rule.apply>` interprets a rule for
every record: it looks up the target, asks whether it holds a list, walks every tag
of the rule (ninety for MARC 21's notes) and branches on how values are collected.
All of that is known when the table is written, so :func:`compile_rules` decides it
once and returns one function per rule that does only the record's part: a
single-valued attribute already set is skipped before any field is read, one that is
not stops at its first value, a rule over many tags visits only the tags the record
has. Rules that carry their own function are already plain functions and are used
as they are. ``tests/marc/test_compiled_mapping.py`` proves, on every fixture file
and the demo library, that the compiled tables give the descriptions the
interpreter gives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from shelfwise.marc.description import Description
from shelfwise.marc.mapping_rules import Apply, Collect, Rule, Source, clean, field_text
from shelfwise.marc.record import Field

__all__ = ["Describe", "compile_rule", "compile_rules"]

Describe = Callable[[Source, Description], None]
_Values = Callable[[Source], list[str]]
_First = Callable[[Source], str | None]
_Fields = Callable[[Source], list[Field]]

# A rule over more tags than this visits the record's tags instead of its own.
_FEW_TAGS = 4
_LISTS = frozenset(f.name for f in dataclasses.fields(Description) if f.default_factory is list)


def compile_rules(rules: Sequence[Rule]) -> Describe:
    """One function that applies ``rules`` in order, as :meth:`Rule.apply` would."""
    steps = tuple(compile_rule(rule) for rule in rules)

    def describe(source: Source, desc: Description) -> None:
        for step in steps:
            step(source, desc)

    return describe


def compile_rule(rule: Rule) -> Apply:
    """``rule`` as a plain function of (source, description)."""
    if rule.fn is not None:
        return rule.fn
    target = rule.target
    if target in _LISTS:
        return _into_list(target, _values(rule))
    return _into_scalar(target, _first(rule))


def _into_list(target: str, values: _Values) -> Apply:
    def apply(source: Source, desc: Description) -> None:
        current: list[str] = getattr(desc, target)
        for value in values(source):
            if value not in current:
                current.append(value)

    return apply


def _into_scalar(target: str, first: _First) -> Apply:
    def apply(source: Source, desc: Description) -> None:
        # The interpreter keeps a value already set: nothing to read then.
        if getattr(desc, target):
            return
        value = first(source)
        if value:
            setattr(desc, target, value)

    return apply


def _fields(rule: Rule) -> _Fields:
    """The fields the rule reads, in its tag order then record order, filtered by ``when``."""
    tags, when = rule.tags, rule.when
    if len(tags) > _FEW_TAGS:
        order = {tag: i for i, tag in enumerate(tags)}

        def present(source: Source) -> list[str]:
            return sorted(source.tags() & order.keys(), key=order.__getitem__)
    else:

        def present(source: Source) -> list[str]:
            return list(tags)

    if when is None:

        def fields(source: Source) -> list[Field]:
            return [f for tag in present(source) for f in source.fields(tag)]
    else:
        keep = when

        def fields(source: Source) -> list[Field]:
            return [f for tag in present(source) for f in source.fields(tag) if keep(f)]

    return fields


def _values(rule: Rule) -> _Values:
    fields, codes, join, only_first = _fields(rule), rule.codes, rule.join, rule.first_subfield
    if rule.collect is Collect.EACH_SUBFIELD:

        def each_subfield(source: Source) -> list[str]:
            return [v for f in fields(source) for v in map(clean, f.values(*codes)) if v]

        return each_subfield
    if rule.collect is Collect.FIRST:
        first = _first(rule)

        def first_only(source: Source) -> list[str]:
            value = first(source)
            return [value] if value else []

        return first_only

    def each_field(source: Source) -> list[str]:
        texts = (field_text(f, codes, join, first=only_first) for f in fields(source))
        return [t for t in texts if t]

    return each_field


def _first(rule: Rule) -> _First:
    """The first value the rule would collect (what a single-valued attribute takes)."""
    fields, codes, join, only_first = _fields(rule), rule.codes, rule.join, rule.first_subfield
    if rule.collect is Collect.EACH_SUBFIELD:

        def first_subfield(source: Source) -> str | None:
            for f in fields(source):
                for raw in f.values(*codes):
                    value = clean(raw)
                    if value:
                        return value
            return None

        return first_subfield

    def first_field(source: Source) -> str | None:
        for f in fields(source):
            value = field_text(f, codes, join, first=only_first)
            if value:
                return value
        return None

    return first_field
