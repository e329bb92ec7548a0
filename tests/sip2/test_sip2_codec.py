"""Decoder and encoder behaviour on specific inputs: framing, errors, lenient mode, charsets."""

from __future__ import annotations

import pytest

from shelfwise.sip2 import (
    Decoded,
    DecodeFailure,
    DecodeResult,
    EncodeError,
    ErrorKind,
    Message,
    checksum,
    decode,
    encode,
)

TD = "20250314    093015"
CHECKIN = f"09N{TD}{TD}APdesk|AOSZLIB|AB31234000567|AC|"


def _with_tail(text: str, encoding: str = "utf-8", sequence: str = "1") -> bytes:
    # Computed here with the reference's one-liner, independently of the codec.
    body = text.encode(encoding) + b"AY" + sequence.encode() + b"AZ"
    return body + format((-sum(body)) & 0xFFFF, "04X").encode()


def _failure(result: DecodeResult) -> DecodeFailure:
    assert isinstance(result, DecodeFailure), result
    return result


def _decoded(result: DecodeResult) -> Decoded:
    assert isinstance(result, Decoded), result
    return result


def test_reference_checksum_examples() -> None:
    # The reference computed these, and Koha hard-codes the 97/96 ones.
    assert checksum(b"9900302.00AY1AZ") == "FCA5"
    assert checksum(b"9300CNuser|COpass|AY1AZ") == "F83D"
    assert checksum(b"97AZ") == "FEF5"
    assert checksum(b"96AZ") == "FEF6"


@pytest.mark.parametrize("terminator", [b"\r", b"\r\n", b"\n", b""])
def test_accepts_cr_crlf_lf_or_no_terminator(terminator: bytes) -> None:
    result = _decoded(decode(_with_tail(CHECKIN) + terminator))
    assert result.message.get("AB") == "31234000567"
    assert result.sequence == 1


def test_a_leading_lf_left_over_from_a_crlf_client_is_ignored() -> None:
    assert isinstance(decode(b"\n" + _with_tail(CHECKIN) + b"\r"), Decoded)


def test_encode_ends_in_cr_with_the_checksum_over_bytes() -> None:
    message = _decoded(decode(_with_tail("941"))).message
    assert encode(message, sequence=1) == _with_tail("941") + b"\r"
    assert encode(message, error_detection=False) == b"941\r"
    # 96/97 never carry AY, whatever sequence is passed.
    assert encode(Message.of("96"), sequence=4) == b"96AZFEF6\r"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"", ErrorKind.EMPTY),
        (b"\r", ErrorKind.EMPTY),
        (b"X1abc|\r", ErrorKind.BAD_COMMAND),
        (b"41AOx|\r", ErrorKind.UNKNOWN_COMMAND),
        (b"09N2025\r", ErrorKind.TRUNCATED),
        (b"17" + TD.encode() + b"AOa\x00b|\r", ErrorKind.CONTROL_CHARACTER),
        (b"17" + TD.encode() + b"AOa\rb|\r", ErrorKind.CONTROL_CHARACTER),
        (b"9900x02.00\r", ErrorKind.BAD_FIXED_FIELD),
    ],
)
def test_malformed_messages_are_error_values(raw: bytes, kind: ErrorKind) -> None:
    assert _failure(decode(raw)).error.kind is kind


def test_bad_fixed_field_names_the_field_and_byte_position() -> None:
    # Sip2 (PyPI) builds 65 Renew All without its transaction date.
    error = _failure(decode(b"65AOMy Test Institute|AApatron|\r")).error
    assert (error.kind, error.fid, error.position, error.command) == (
        ErrorKind.BAD_FIXED_FIELD,
        "transaction_date",
        2,
        "65",
    )
    assert "date" in error.reason


def test_positions_are_byte_offsets_in_multibyte_text() -> None:
    # "借" is 3 bytes in UTF-8: the bad flag sits at byte 2 of a 09 either way,
    # but a bad field id after a Chinese value must be counted in bytes.
    raw = f"17{TD}AO借书|a|".encode()
    error = _failure(decode(raw + b"\r")).error
    assert error.kind is ErrorKind.BAD_FIELD
    assert error.position == len(f"17{TD}AO借书|".encode())


def test_checksum_mismatch_asks_for_a_resend() -> None:
    raw = bytearray(_with_tail(CHECKIN))
    raw[20] ^= 0x01
    error = _failure(decode(bytes(raw))).error
    assert error.kind is ErrorKind.CHECKSUM_MISMATCH
    assert error.wants_resend


def test_unknown_fields_are_kept_in_order_and_repeats_preserved() -> None:
    text = f"64{' ' * 14}019{TD}{'0000' * 6}XTvendor|AOSZLIB|AU1|AA42|AU2|AE张伟|AU3|PBbirth|AF一|AF二|"
    message = _decoded(decode(_with_tail(text))).message
    assert message.get_all("AU") == ("1", "2", "3")
    assert message.get_all("AF") == ("一", "二")
    assert message.unknown_fields() == (("XT", "vendor"), ("PB", "birth"))
    assert [fid for fid, _ in message.fields][:3] == ["XT", "AO", "AU"]


def test_missing_required_field_is_a_warning_not_an_error() -> None:
    # dp2SSL omits 12's AJ/AH; refusing would leave the kiosk without an answer.
    result = _decoded(decode(f"121NNY{TD}AOSZLIB|AA1|AB2|".encode()))
    assert [w.fid for w in result.warnings] == ["AJ", "AH"]


def test_require_checksum_refuses_a_message_that_lost_its_tail() -> None:
    error = _failure(decode(CHECKIN.encode(), require_checksum=True)).error
    assert error.kind is ErrorKind.CHECKSUM_MISSING
    assert error.wants_resend


# --- lenient versus strict ---------------------------------------------------


def _char_checksum_message() -> bytes:
    # dp2Capo sums characters, not bytes: wrong for the 3-byte UTF-8 of 张伟.
    text = f"24{' ' * 14}019{TD}AOSZLIB|AA0440012345|AE张伟|AY2AZ"
    return text.encode() + format((-sum(map(ord, text))) & 0xFFFF, "04X").encode()


def _three_digit_checksum_message() -> bytes:
    # invenio writes format(x, "X"): no zero padding below 0x1000. Pad AA until
    # the checksum is small enough to lose a digit.
    for n in range(4096):
        body = f"23019{TD}AOSZLIB|AA{'7' * n}|AC|AD|AY1AZ".encode()
        value = (-sum(body)) & 0xFFFF
        if value < 0x1000:
            return body + format(value, "X").encode()
    raise AssertionError("no padding gives a 3-digit checksum")  # pragma: no cover


def _lower_hex() -> bytes:
    # A checksum with hex letters, so that lower-casing changes it.
    for sequence in "0123456789":
        raw = _with_tail(CHECKIN, sequence=sequence)
        if raw[-4:] != raw[-4:].lower():
            return raw[:-4] + raw[-4:].lower()
    raise AssertionError("every checksum is all digits")  # pragma: no cover


def _no_sequence() -> bytes:
    body = CHECKIN.encode() + b"AZ"
    return body + format((-sum(body)) & 0xFFFF, "04X").encode()


def _ay_with_delimiter() -> bytes:
    body = (CHECKIN + "AY7|AZ").encode()
    return body + format((-sum(body)) & 0xFFFF, "04X").encode()


LENIENT_CASES: dict[str, tuple[bytes, str]] = {
    "checksum over characters": (_char_checksum_message(), "computed over characters"),
    "three hex digits": (_three_digit_checksum_message(), "has 3 hex digits"),
    "lower-case hex": (_lower_hex(), "lower-case"),
    "no AY before AZ": (_no_sequence(), "without AY"),
    "AY without AZ": (CHECKIN.encode() + b"AY4", "without AZ"),
    "unterminated last field": (f"17{TD}AOSZLIB|AB123".encode(), "not terminated"),
    "N in patron status": (f"24N{' ' * 13}019{TD}AOa|AAb|AEc|".encode(), "patron status"),
    "AY followed by a delimiter": (_ay_with_delimiter(), "without AY"),
}


@pytest.mark.parametrize("name", sorted(LENIENT_CASES))
def test_lenient_accepts_what_strict_rejects_with_a_reason(name: str) -> None:
    raw, reason = LENIENT_CASES[name]
    error = _failure(decode(raw)).error
    assert reason in error.reason
    result = _decoded(decode(raw, lenient=True))
    assert any(reason in w.reason for w in result.warnings), result.warnings


def test_lenient_keeps_the_sequence_of_an_ay_field() -> None:
    assert _decoded(decode(_ay_with_delimiter(), lenient=True)).sequence == 7


def test_lenient_still_rejects_a_checksum_that_matches_nothing() -> None:
    raw = _three_digit_checksum_message()
    broken = raw[:-1] + (b"0" if raw[-1:] != b"0" else b"1")
    assert _failure(decode(broken, lenient=True)).error.kind is ErrorKind.CHECKSUM_MISMATCH


# --- charsets ----------------------------------------------------------------


def test_gbk_trail_byte_0x7c_is_not_a_delimiter() -> None:
    # 億 is 83 7C in GBK: splitting bytes on '|' before decoding would cut it.
    assert "億".encode("gbk") == b"\x83|"
    raw = _with_tail(f"24{' ' * 14}019{TD}AOSZLIB|AA1|AE王億|", "gbk")
    assert _decoded(decode(raw, encoding="gbk")).message.get("AE") == "王億"


def test_gb18030_sent_to_a_utf8_terminal_is_rejected_not_crashed() -> None:
    raw = _with_tail(f"24{' ' * 14}019{TD}AOSZLIB|AA1|AE张伟|", "gb18030")
    error = _failure(decode(raw, encoding="utf-8")).error
    assert error.kind is ErrorKind.ENCODING
    assert error.position == len(f"24{' ' * 14}019{TD}AOSZLIB|AA1|AE".encode())


def test_unsupported_charset_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="unsupported SIP2 character set"):
        decode(b"941\r", encoding="utf-16")


def _response(**fields: str) -> Message:
    return Message.of(
        "36", {"end_session": "Y", "transaction_date": TD}, [("AO", "SZLIB"), *fields.items()]
    )


def test_display_text_falls_back_to_question_marks() -> None:
    raw = encode(_response(AA="0440012345", AF="再见 Tschüss"), encoding="latin-1")
    assert b"AF?? Tsch\xfcss|" in raw


def test_identifiers_must_be_representable() -> None:
    with pytest.raises(EncodeError, match="not representable in iso8859-1") as info:
        encode(_response(AA="张伟"), encoding="latin-1")
    assert info.value.fid == "AA"


@pytest.mark.parametrize("bad", ["a|b", "a\rb", "a\nb", "a\x00b"])
def test_delimiter_or_cr_in_an_identifier_is_refused(bad: str) -> None:
    with pytest.raises(EncodeError, match="control character"):
        encode(_response(AA=bad))


def test_delimiter_or_cr_in_display_text_becomes_a_space() -> None:
    raw = encode(_response(AA="1", AF="a|b\rc"), error_detection=False)
    assert raw.endswith(b"AFa b c|\r")


@pytest.mark.parametrize(
    ("message", "match"),
    [
        (_response(AA="1", BL="YES"), "must be 1 characters"),
        (_response(AA="1", AF="x" * 256), "at most 255"),
        (_response(AA="1", AY="1"), "error-detection tail"),
        (_response(AA="1", a1="x"), "not two upper-case"),
        (_response(), "required fields missing: AA"),
        (_response(AA="1").with_fields(("AA", "2")), "not repeatable"),
        (Message.of("36", {"end_session": "?", "transaction_date": TD}, [("AO", "a")]), "flag"),
        (Message.of("36", {"end_session": "Y"}, [("AO", "a"), ("AA", "b")]), "fixed fields"),
        (Message.of("41"), "unknown command"),
    ],
)
def test_encode_refuses_invalid_messages(message: Message, match: str) -> None:
    with pytest.raises(EncodeError, match=match):
        encode(message)


def test_encode_refuses_a_sequence_that_is_not_one_digit() -> None:
    with pytest.raises(EncodeError, match="one digit"):
        encode(_response(AA="1"), sequence=10)
