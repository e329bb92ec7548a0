"""The wish wall's and acquisitions' messages."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- wishes ---
    "wishes.not_found": message(
        404, "心愿 {wish} 不存在。", "소원 {wish}이(가) 없습니다.", "There is no wish {wish}."
    ),
    "wishes.transition": message(
        409,
        "心愿不能从“{current}”改为“{target}”。",
        "소원을 '{current}'에서 '{target}'(으)로 바꿀 수 없습니다.",
        "A wish cannot go from {current} to {target}.",
    ),
    "wishes.follows_order": message(
        409,
        "“{target}”随订单自动变化，不能手动设置。",
        "'{target}'은(는) 주문에 따라 바뀌며 직접 정할 수 없습니다.",
        "{target} follows the order; it cannot be set by hand.",
    ),
    "wishes.text_invalid": message(
        422,
        "{field} 含有不可见的控制字符。",
        "{field}에 제어 문자가 있습니다.",
        "The {field} holds control characters.",
    ),
    "wishes.text_required": message(
        422, "请填写 {field}。", "{field}을(를) 입력하세요.", "Please fill in the {field}."
    ),
    "wishes.text_too_long": message(
        422,
        "{field} 最多 {limit} 个字符（现有 {length} 个）。",
        "{field}은(는) 최대 {limit}자입니다(현재 {length}자).",
        "The {field} takes at most {limit} characters ({length} given).",
    ),
    "wishes.isbn_invalid": message(
        422,
        "“{isbn}”不是 ISBN（应为 10 或 13 位）。",
        "'{isbn}'은(는) ISBN이 아닙니다(10자리 또는 13자리).",
        "{isbn} is not an ISBN (10 or 13 digits).",
    ),
    "wishes.isbn_check_digit": message(
        422,
        "ISBN {isbn} 的校验位是 {given}，应为 {expected}：请核对是否输错。",
        "ISBN {isbn}의 검사 숫자는 {given}이지만 {expected}이어야 합니다. 입력을 확인하세요.",
        "ISBN {isbn} ends in {given} but its check digit should be {expected}: "
        "please check for a typing slip.",
    ),
    "wishes.display_name_private": message(
        422,
        "显示名不能是您的读者证号或真实姓名。",
        "표시 이름에 카드 번호나 실명을 쓸 수 없습니다.",
        "The display name may not be your card number or your real name.",
    ),
    "wishes.record_exists": message(
        409,
        "馆藏已有此书（记录 {record_id}），可直接预约。",
        "이미 소장한 책입니다(레코드 {record_id}). 바로 예약하세요.",
        "We have this book (record {record_id}): place a hold instead.",
    ),
    "wishes.over_limit": message(
        429,
        "本月心愿已达上限（{limit} 条）。",
        "이번 달 소원 한도({limit}건)에 도달했습니다.",
        "You have posted this month's {limit} wishes.",
    ),
    "wishes.unknown_branch": message(
        422,
        "分馆 {branch} 不存在。",
        "분관 {branch}이(가) 없습니다.",
        "There is no branch {branch}.",
    ),
    "wishes.own_wish": message(
        409,
        "不能支持自己的心愿。",
        "자신의 소원은 응원할 수 없습니다.",
        "You cannot support your own wish.",
    ),
    "wishes.closed": message(
        409,
        "心愿已结束（{status}）。",
        "소원이 이미 끝났습니다({status}).",
        "The wish is closed ({status}).",
    ),
    "wishes.already_supported": message(
        409,
        "您已支持过这个心愿。",
        "이미 응원한 소원입니다.",
        "You already support this wish.",
    ),
    "wishes.already_reported": message(
        409,
        "您已举报过这个心愿。",
        "이미 신고한 소원입니다.",
        "You already reported this wish.",
    ),
    "wishes.merged": message(
        409,
        "心愿 {wish} 已并入另一心愿。",
        "소원 {wish}은(는) 다른 소원에 합쳐졌습니다.",
        "Wish {wish} was merged into another.",
    ),
    "wishes.merge_self": message(
        422,
        "心愿不能并入自己。",
        "소원을 자기 자신에 합칠 수 없습니다.",
        "A wish cannot be merged into itself.",
    ),
    "wishes.merge_refused": message(
        409,
        "心愿 {wish} 不能并入 {into}（类型不同或已合并）。",
        "소원 {wish}을(를) {into}에 합칠 수 없습니다(종류가 다르거나 이미 합쳐짐).",
        "Wish {wish} cannot be merged into {into} (another kind, or already merged).",
    ),
}

MESSAGES.update(
    {
        # --- acquisitions ---
        "acq.text_invalid": message(
            422,
            "{field} 须为 1 至 {limit} 个字符，且不含控制字符。",
            "{field}은(는) 1~{limit}자이며 제어 문자를 쓸 수 없습니다.",
            "The {field} takes 1 to {limit} characters, without control characters.",
        ),
        "acq.amount_invalid": message(
            422,
            "数量或金额无效：{value}。",
            "수량 또는 금액이 올바르지 않습니다: {value}.",
            "The quantity or amount is not valid: {value}.",
        ),
        "acq.unknown_vendor": message(
            404,
            "供应商 {vendor} 不存在。",
            "공급처 {vendor}이(가) 없습니다.",
            "There is no vendor {vendor}.",
        ),
        "acq.unknown_fund": message(
            404,
            "{year} 年没有经费 {fund}。",
            "{year}년에 예산 {fund}이(가) 없습니다.",
            "There is no fund {fund} for {year}.",
        ),
        "acq.unknown_branch": message(
            422,
            "分馆 {branch} 不存在。",
            "분관 {branch}이(가) 없습니다.",
            "There is no branch {branch}.",
        ),
        "acq.unknown_order": message(
            404,
            "订单 {order} 不存在。",
            "주문 {order}이(가) 없습니다.",
            "There is no order {order}.",
        ),
        "acq.fund_exhausted": message(
            409,
            "经费 {fund} 余额不足（可用 {available} 元）。",
            "예산 {fund}의 잔액이 부족합니다(사용 가능 {available}위안).",
            "Fund {fund} has not enough left ({available} yuan available).",
        ),
        "acq.fund_below_use": message(
            409,
            "经费 {fund} 的预算不能低于已承诺和已支出的金额。",
            "예산 {fund}은(는) 이미 약정·지출된 금액보다 적을 수 없습니다.",
            "Fund {fund} cannot be set below what is committed and spent.",
        ),
        "acq.order_empty": message(
            422,
            "订单至少需要一行。",
            "주문에는 한 줄 이상이 필요합니다.",
            "An order needs at least one line.",
        ),
        "acq.record_required": message(
            422,
            "请选择书目或填写题名。",
            "서지를 고르거나 서명을 입력하세요.",
            "Choose a record or give a title.",
        ),
        "acq.nothing_to_receive": message(
            404,
            "“{scanned}”没有待验收的订购。",
            "'{scanned}'에 대해 입고를 기다리는 주문이 없습니다.",
            "Nothing on order waits to be received for {scanned}.",
        ),
        "acq.not_received": message(
            409,
            "{barcode} 尚未验收。",
            "{barcode}은(는) 아직 입고되지 않았습니다.",
            "{barcode} has not been received.",
        ),
        "acq.order_closed": message(
            409,
            "订单 {order} 已结束。",
            "주문 {order}은(는) 이미 끝났습니다.",
            "Order {order} is closed.",
        ),
    }
)
