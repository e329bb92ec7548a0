"""The message catalogue behind :mod:`shelfwise.core.errors`.

One entry per stable code: the HTTP status it maps to and the sentence in each
language. Placeholders use ``str.format`` names. Domains add their codes here so
that the three translations are reviewed together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    status: int
    text: dict[str, str]


def _m(status: int, zh: str, ko: str, en: str) -> MessageTemplate:
    return MessageTemplate(status, {"zh": zh, "ko": ko, "en": en})


CATALOGUE: dict[str, MessageTemplate] = {
    # --- general ---
    "request.invalid": _m(
        422,
        "请求无效：{detail}",
        "요청이 올바르지 않습니다: {detail}",
        "The request is not valid: {detail}",
    ),
    "request.not_found": _m(
        404,
        "找不到所请求的内容。",
        "요청한 내용을 찾을 수 없습니다.",
        "Nothing was found at this address.",
    ),
    "request.conflict": _m(
        409,
        "该记录已被他人修改，请刷新后重试。",
        "다른 사용자가 이 기록을 수정했습니다. 새로 고친 뒤 다시 시도하십시오.",
        "Someone else changed this record; reload it and try again.",
    ),
    "server.unavailable": _m(
        503,
        "系统暂时繁忙，请稍后再试。",
        "시스템이 잠시 바쁩니다. 잠시 후 다시 시도하십시오.",
        "The system is busy for a moment; please try again shortly.",
    ),
    "server.internal": _m(
        500,
        "系统出错了，已记录，请稍后再试或联系馆员。",
        "시스템 오류가 기록되었습니다. 잠시 후 다시 시도하거나 사서에게 문의하십시오.",
        "Something went wrong on our side and it has been logged; try again or ask a librarian.",
    ),
    # --- catalogue ---
    "catalogue.record_not_found": _m(
        404,
        "书目记录 {record_id} 不存在。",
        "서지 레코드 {record_id}이(가) 없습니다.",
        "Bibliographic record {record_id} does not exist.",
    ),
    "catalogue.item_not_found": _m(
        404,
        "条码为 {barcode} 的册不存在。",
        "등록번호 {barcode}인 자료가 없습니다.",
        "There is no item with barcode {barcode}.",
    ),
    "catalogue.branch_not_found": _m(
        404,
        "馆点 {branch} 不存在。",
        "도서관 지점 {branch}이(가) 없습니다.",
        "There is no branch with code {branch}.",
    ),
    "catalogue.barcode_taken": _m(
        409,
        "条码 {barcode} 已被另一册使用。",
        "등록번호 {barcode}은(는) 이미 다른 자료에 쓰이고 있습니다.",
        "Barcode {barcode} is already used by another item.",
    ),
    "catalogue.merge_into_self": _m(
        422,
        "不能把记录合并到它自己。",
        "레코드를 자기 자신에게 병합할 수 없습니다.",
        "A record cannot be merged into itself.",
    ),
    "catalogue.record_not_active": _m(
        409,
        "书目记录 {record_id} 已{state}，不能再修改。",
        "서지 레코드 {record_id}은(는) 이미 {state} 상태여서 수정할 수 없습니다.",
        "Bibliographic record {record_id} is {state} and can no longer be changed.",
    ),
    "catalogue.lifecycle_transition": _m(
        409,
        "册 {barcode} 不能从“{current}”改为“{target}”。",
        "자료 {barcode}의 상태를 '{current}'에서 '{target}'(으)로 바꿀 수 없습니다.",
        "Item {barcode} cannot go from '{current}' to '{target}'.",
    ),
    # --- MARC import ---
    "marc.unreadable_file": _m(
        422,
        "无法读取文件 {path}：{reason}",
        "파일 {path}을(를) 읽을 수 없습니다: {reason}",
        "The file {path} cannot be read: {reason}",
    ),
    "marc.unknown_format": _m(
        422,
        "无法识别 {path} 的格式；请用 --format 指定 iso2709、marcxml 或 marcjson。",
        "{path}의 형식을 알 수 없습니다. --format으로 iso2709, marcxml, marcjson 중 하나를 지정하십시오.",
        "Cannot tell the format of {path}; name it with --format iso2709, marcxml or marcjson.",
    ),
}
