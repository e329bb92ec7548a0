"""Hypothesis strategies for random MARC records (valid tags, indicators, codes, multilingual text)."""

from __future__ import annotations

from hypothesis import strategies as st

from shelfwise.marc.record import Field, Record

# Text drawn from the scripts our libraries catalogue in, plus astral characters;
# never the MARC delimiters (0x1D-0x1F) nor characters XML 1.0 cannot carry.
_ALPHABETS = st.sampled_from(
    [
        "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,:;/-()[]",
        "中文图书馆评说鼓励鞭策张脉峰主编北京出版社",
        "도서관데이터한글漢字김예시지음서울",
        "éèçñüßøåÆŒ",
        "𠀋𡈽𩸽🙂",  # astral: four bytes in UTF-8
    ]
)


@st.composite
def marc_text(draw: st.DrawFn, *, min_size: int = 0, max_size: int = 30) -> str:
    alphabet = draw(_ALPHABETS)
    other = draw(_ALPHABETS)
    return draw(st.text(alphabet=alphabet + other, min_size=min_size, max_size=max_size))


_DIGITS = "0123456789"
control_tags = st.sampled_from([f"00{i}" for i in range(1, 10)])
data_tags = st.text(alphabet=_DIGITS, min_size=3, max_size=3).filter(lambda t: t[:2] != "00")
indicators = st.text(alphabet=" 0123456789", min_size=2, max_size=2)
codes = st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789"))


@st.composite
def fields(draw: st.DrawFn) -> Field:
    if draw(st.booleans()):
        return Field(draw(control_tags), data=draw(marc_text(min_size=1)))
    subs = draw(st.lists(st.tuples(codes, marc_text(min_size=1)), min_size=1, max_size=5))
    return Field(draw(data_tags), draw(indicators), subs)


leaders = st.builds(
    lambda status, kind, level: f"00000{status}{kind}{level} a2200000 a 4500",
    st.sampled_from("acnp"),
    st.sampled_from("acgijmt"),
    st.sampled_from("acms"),
)


@st.composite
def records(draw: st.DrawFn) -> Record:
    """A MARC 21 record with a 245, so dialect detection is not what is being tested."""
    body = draw(st.lists(fields(), max_size=12))
    title = Field("245", "10", [("a", draw(marc_text(min_size=1)))])
    return Record(draw(leaders), [*body, title])
