"""Messages any door may give: a request it cannot take, the server unavailable or failing."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- general ---
    "request.invalid": message(
        422,
        "请求无效：{detail}",
        "요청이 올바르지 않습니다: {detail}",
        "The request is not valid: {detail}",
    ),
    "request.not_found": message(
        404,
        "找不到所请求的内容。",
        "요청한 내용을 찾을 수 없습니다.",
        "Nothing was found at this address.",
    ),
    "request.method_not_allowed": message(
        405,
        "此地址不接受 {method} 请求；可用的方法：{allow}。",
        "이 주소는 {method} 요청을 받지 않습니다. 쓸 수 있는 방법: {allow}.",
        "This address does not take {method} requests; use {allow}.",
    ),
    "request.too_large": message(
        413,
        "请求内容过大：上限为 {limit}。较大的 MARC 文件请用命令行 shelfwise import 导入。",
        "요청 내용이 너무 큽니다. 한도는 {limit}입니다. 큰 MARC 파일은 명령줄의 shelfwise import로 가져오십시오.",
        "The request is too large: the limit is {limit}. Import larger MARC files with "
        "`shelfwise import` on the server.",
    ),
    "request.conflict": message(
        409,
        "该记录已被他人修改，请刷新后重试。",
        "다른 사용자가 이 기록을 수정했습니다. 새로 고친 뒤 다시 시도하십시오.",
        "Someone else changed this record; reload it and try again.",
    ),
    "server.unavailable": message(
        503,
        "系统暂时繁忙，请稍后再试。",
        "시스템이 잠시 바쁩니다. 잠시 후 다시 시도하십시오.",
        "The system is busy for a moment; please try again shortly.",
    ),
    "server.internal": message(
        500,
        "系统出错了，已记录，请稍后再试或联系馆员。",
        "시스템 오류가 기록되었습니다. 잠시 후 다시 시도하거나 사서에게 문의하십시오.",
        "Something went wrong on our side and it has been logged; try again or ask a librarian.",
    ),
}
