"""The circulation messages: loans, renewals, returns, holds, fees, rules and calendars."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

# The desk's warnings (circulation.standing): said with the same sentences as refusals, but
# they stop nothing, so their status is 200. Every other entry is a refusal (4xx/5xx).
WARNINGS = frozenset({"circ.overdue_warning", "circ.card_expires_soon", "circ.fees_owed"})

MESSAGES: dict[str, MessageTemplate] = {
    # --- circulation ---
    "circ.transition": message(
        409,
        "{kind} 不能由“{current}”经“{op}”变为“{target}”。",
        "{kind}을(를) '{op}'(으)로 '{current}'에서 '{target}'(으)로 바꿀 수 없습니다.",
        "A {kind} cannot go from '{current}' to '{target}' by {op}.",
    ),
    "circ.reader_pending": message(
        403,
        "请先确认电子邮件，读者证才能借书。",
        "전자우편을 확인해야 대출할 수 있습니다.",
        "Confirm your e-mail address before borrowing.",
    ),
    "circ.card_expired": message(
        403,
        "读者证已于 {expired} 过期，请续办。",
        "이용자 카드가 {expired}에 만료되었습니다. 갱신하십시오.",
        "The reader card expired on {expired}; renew it at a desk.",
    ),
    "circ.reader_blocked": message(
        403,
        "读者证已停用：{reason}",
        "이용자 카드가 정지되었습니다: {reason}",
        "The reader card is blocked: {reason}",
    ),
    "circ.fees_over_limit": message(
        403,
        "欠费 {owed} 元，超过 {limit} 元的上限，请先缴费。",
        "미납 요금 {owed}원이 한도 {limit}원을 넘습니다. 먼저 납부하십시오.",
        "Fees of {owed} exceed the limit of {limit}; please pay first.",
    ),
    "circ.loan_limit": message(
        409,
        "已达借阅上限 {limit} 册。",
        "대출 한도 {limit}권에 도달했습니다.",
        "The loan limit of {limit} items is reached.",
    ),
    "circ.item_not_loanable": message(
        409,
        "册 {barcode} 当前不可借（{state}）。",
        "자료 {barcode}은(는) 지금 대출할 수 없습니다({state}).",
        "Item {barcode} cannot be lent now ({state}).",
    ),
    "circ.not_loanable_by_rule": message(
        409,
        "册 {barcode} 仅供馆内阅览。",
        "자료 {barcode}은(는) 관내 열람 전용입니다.",
        "Item {barcode} is for use in the library only.",
    ),
    "circ.item_on_loan": message(
        409,
        "册 {barcode} 已被借出。",
        "자료 {barcode}은(는) 이미 대출 중입니다.",
        "Item {barcode} is already on loan.",
    ),
    "circ.item_already_yours": message(
        409,
        "册 {barcode} 已借给您。",
        "자료 {barcode}은(는) 이미 귀하에게 대출되어 있습니다.",
        "Item {barcode} is already on loan to you.",
    ),
    "circ.item_on_hold": message(
        409,
        "册 {barcode} 已为其他读者预约保留。",
        "자료 {barcode}은(는) 다른 이용자의 예약으로 보관 중입니다.",
        "Item {barcode} is held for another reader.",
    ),
    "circ.not_on_loan": message(
        409,
        "册 {barcode} 不在借出状态。",
        "자료 {barcode}은(는) 대출 중이 아닙니다.",
        "Item {barcode} is not on loan.",
    ),
    "circ.not_your_loan": message(
        409,
        "册 {barcode} 不在您的借阅中。",
        "자료 {barcode}은(는) 귀하의 대출 목록에 없습니다.",
        "Item {barcode} is not on loan to you.",
    ),
    "circ.loan_not_found": message(
        404,
        "借阅记录 {loan} 不存在。",
        "대출 기록 {loan}이(가) 없습니다.",
        "Loan {loan} does not exist.",
    ),
    "circ.renew_limit": message(
        409,
        "《{title}》（{barcode}）已续借 {limit} 次，达到上限。",
        "《{title}》({barcode})은(는) 연장 한도 {limit}회에 도달했습니다.",
        "'{title}' ({barcode}) has been renewed {limit} times, the limit.",
    ),
    "circ.renew_on_hold": message(
        409,
        "《{title}》（{barcode}）有其他读者预约，不能续借。",
        "《{title}》({barcode})에 다른 이용자의 예약이 있어 연장할 수 없습니다.",
        "'{title}' ({barcode}) is reserved by another reader and cannot be renewed.",
    ),
    "circ.renew_lost": message(
        409,
        "《{title}》（{barcode}）已登记遗失，不能续借。",
        "《{title}》({barcode})은(는) 분실 처리되어 연장할 수 없습니다.",
        "'{title}' ({barcode}) was declared lost and cannot be renewed.",
    ),
    "circ.renew_too_soon": message(
        409,
        "《{title}》（{barcode}）现在续借不会延长应还日期（{due}），请稍后再续。",
        "《{title}》({barcode})은(는) 지금 연장해도 반납 예정일({due})이 늘지 않습니다. 나중에 연장하십시오.",
        "Renewing '{title}' ({barcode}) now would not move its due date ({due}); renew it later.",
    ),
    "circ.notice_placeholder_unknown": message(
        422,
        "占位符 {placeholder} 不可用；此类通知可用：{allowed}。",
        "자리표시자 {placeholder}은(는) 쓸 수 없습니다. 이 알림에서 쓸 수 있는 것: {allowed}.",
        "The placeholder {placeholder} is not one this notice fills; it offers {allowed}.",
    ),
    "circ.notice_template_braces": message(
        422,
        "花括号不成对；占位符写作 {{title}}，单个花括号请写两次。",
        "중괄호 짝이 맞지 않습니다. 자리표시자는 {{title}}처럼, 중괄호 한 개는 두 번 쓰세요.",
        "The braces do not pair up: a placeholder is written {{title}}, a lone brace twice.",
    ),
    "circ.notice_template_empty": message(
        422,
        "通知的标题和正文都不能为空。",
        "알림의 제목과 본문을 모두 입력하세요.",
        "A notice needs both a subject and a body.",
    ),
    "circ.notice_template_too_long": message(
        422,
        "标题须为一行、不超过 {subject_max} 字，正文不超过 {body_max} 字。",
        "제목은 한 줄, {subject_max}자 이하, 본문은 {body_max}자 이하여야 합니다.",
        "The subject must be one line of at most {subject_max} characters, the body at most {body_max}.",
    ),
    "circ.hours_invalid": message(
        422,
        "开放时间有误：{detail}",
        "운영 시간이 올바르지 않습니다: {detail}",
        "The opening hours are not valid: {detail}",
    ),
    "circ.overdue_loans": message(
        403,
        "有 {overdue} 册逾期、{lost} 册遗失未处理，请先归还或续借后再借。",
        "연체 {overdue}권, 분실 {lost}권이 있어 반납하거나 연장한 뒤에 대출할 수 있습니다.",
        "{overdue} overdue and {lost} lost loan(s) must be returned or renewed before borrowing more.",
    ),
    "circ.overdue_warning": message(
        200,
        "有 {overdue} 册逾期、{lost} 册遗失未处理（本馆不因此停借）。",
        "연체 {overdue}권, 분실 {lost}권이 있습니다(대출은 막지 않습니다).",
        "{overdue} overdue and {lost} lost loan(s) outstanding (this library does not stop loans for them).",
    ),
    "circ.card_expires_soon": message(
        200,
        "读者证将于 {date} 到期，可在此续期。",
        "이용증이 {date}에 만료됩니다. 여기에서 갱신할 수 있습니다.",
        "The card expires on {date}; it can be renewed here.",
    ),
    "circ.fees_owed": message(
        200,
        "尚欠费用 ¥{owed}（未到停借上限）。",
        "미납 요금 ¥{owed}이 있습니다(대출 정지 한도 미만).",
        "¥{owed} in fees is owed (under the limit that stops loans).",
    ),
    "circ.hold_limit": message(
        409,
        "已达预约上限 {limit} 条。",
        "예약 한도 {limit}건에 도달했습니다.",
        "The hold limit of {limit} is reached.",
    ),
    "circ.hold_exists": message(
        409,
        "您已预约过该书目。",
        "이미 이 자료를 예약했습니다.",
        "You already have a hold on this title.",
    ),
    "circ.hold_item_mismatch": message(
        422,
        "册 {barcode} 不属于该书目。",
        "자료 {barcode}은(는) 이 서지에 속하지 않습니다.",
        "Item {barcode} does not belong to this title.",
    ),
    "circ.no_home_branch": message(
        422,
        "没有可用的本馆：请指定馆点代码。",
        "소속 도서관이 없습니다. 도서관 지점 코드를 지정하십시오.",
        "There is no branch of yours to use: give a branch code.",
    ),
    "circ.hold_on_loan": message(
        409,
        "这本书您正借着，不需要预约。",
        "이 자료는 지금 대출 중이어서 예약할 필요가 없습니다.",
        "You have this title on loan now, so there is nothing to hold.",
    ),
    "circ.no_pickup_branch": message(
        422,
        "请选择取书分馆（或在“我的图书馆”里选定您常去的分馆）。",
        "수령할 도서관을 고르십시오(또는 ‘내 도서관’을 정해 두십시오).",
        "Choose where to pick it up (or choose your library under My library).",
    ),
    "circ.nothing_to_hold": message(
        409,
        "书目 {record_id} 没有可预约的馆藏。",
        "서지 {record_id}에 예약할 수 있는 소장 자료가 없습니다.",
        "Title {record_id} has no copy that can be reserved.",
    ),
    "circ.hold_not_found": message(
        404, "预约 {hold} 不存在。", "예약 {hold}이(가) 없습니다.", "Hold {hold} does not exist."
    ),
    "circ.pickup_fixed": message(
        409,
        "预约 {hold} 的书已在送往取书馆途中或已到馆，不能再更改取书地点。",
        "예약 {hold}의 자료가 이미 수령 도서관으로 가는 중이거나 도착해 수령 장소를 바꿀 수 없습니다.",
        "A copy for hold {hold} is already on its way to or waiting at the pickup branch; the pickup branch can no longer change.",
    ),
    "circ.hold_closed": message(
        409,
        "预约 {hold} 已结束（{status}）。",
        "예약 {hold}은(는) 이미 종료되었습니다({status}).",
        "Hold {hold} is already closed ({status}).",
    ),
    "circ.fee_not_found": message(
        404, "费用 {fee} 不存在。", "요금 {fee}이(가) 없습니다.", "Fee {fee} does not exist."
    ),
    "circ.fee_closed": message(
        409,
        "费用 {fee} 已结清。",
        "요금 {fee}은(는) 이미 정산되었습니다.",
        "Fee {fee} is already settled.",
    ),
    "circ.fee_amount": message(
        422,
        "金额 {amount} 无效。",
        "금액 {amount}이(가) 올바르지 않습니다.",
        "The amount {amount} is not valid.",
    ),
    "circ.fee_kind": message(
        422,
        "不能手工收取“{kind}”类费用。",
        "'{kind}' 요금은 직접 부과할 수 없습니다.",
        "Fees of kind '{kind}' cannot be charged by hand.",
    ),
    "circ.rule_invalid": message(
        422,
        "借阅规则无效：{fields}",
        "대출 규칙이 올바르지 않습니다: {fields}",
        "The loan rule is not valid: {fields}",
    ),
    "circ.rule_not_found": message(
        404,
        "借阅规则 {rule} 不存在。",
        "대출 규칙 {rule}이(가) 없습니다.",
        "Loan rule {rule} does not exist.",
    ),
    "circ.calendar_invalid": message(
        422,
        "开馆日历无效（星期 0–6，且每周至少开放一天）。",
        "개관 일정이 올바르지 않습니다(요일 0–6, 주 1일 이상 개관).",
        "The calendar is not valid (weekdays 0–6, open at least one day a week).",
    ),
    "circ.reader_has_loans": message(
        409,
        "尚有 {count} 册未还，不能注销。",
        "반납하지 않은 자료가 {count}권 있어 탈퇴할 수 없습니다.",
        "{count} item(s) are still on loan; return them before deleting the account.",
    ),
    "circ.reader_has_fees": message(
        409,
        "尚有 {count} 笔未结费用，不能注销。",
        "미정산 요금이 {count}건 있어 탈퇴할 수 없습니다.",
        "{count} fee(s) are still open; settle them before deleting the account.",
    ),
    "circ.idempotency_mismatch": message(
        409,
        "该幂等键已用于另一个请求（{operation}），请为新的请求使用新的键。",
        "이 멱등 키는 이미 다른 요청({operation})에 쓰였습니다. 새 요청에는 새 키를 쓰십시오.",
        "This idempotency key was already used for a different request ({operation}); "
        "use a new key for a new request.",
    ),
    "circ.deposit_required": message(
        403,
        "借书需交押金 {required} 元（现有 {held} 元），或符合信用借阅条件：{reasons}。",
        "대출하려면 보증금 {required}위안이 필요합니다(현재 {held}위안). 또는 신용 대출 조건을 충족해야 합니다: {reasons}.",
        "Borrowing needs a deposit of {required} yuan (held: {held}) or credit eligibility: {reasons}.",
    ),
    "circ.deposit_not_found": message(
        404,
        "押金记录 {deposit} 不存在。",
        "보증금 기록 {deposit}이(가) 없습니다.",
        "There is no deposit {deposit}.",
    ),
    "circ.deposit_amount": message(
        422,
        "押金金额无效：{amount}（以分计，须大于 0）。",
        "보증금 금액이 올바르지 않습니다: {amount}(펀 단위, 0보다 커야 함).",
        "The deposit amount is not valid: {amount} (in fen, more than 0).",
    ),
    "circ.deposit_method": message(
        422,
        "不支持的缴费方式 {method}（可用：{allowed}）。",
        "지원하지 않는 납부 방법 {method}입니다(가능: {allowed}).",
        "Unknown payment method {method} (allowed: {allowed}).",
    ),
    "circ.deposit_refunded": message(
        409,
        "押金 {deposit} 已经退还。",
        "보증금 {deposit}은(는) 이미 환불되었습니다.",
        "Deposit {deposit} was already refunded.",
    ),
    "circ.deposit_refund_loans": message(
        409,
        "尚有 {count} 册未还，不能退押金。",
        "반납하지 않은 자료가 {count}권 있어 보증금을 환불할 수 없습니다.",
        "{count} item(s) are still on loan; return them before the deposit is refunded.",
    ),
    "circ.deposit_refund_fees": message(
        409,
        "尚有 {count} 笔未结费用，不能退押金。",
        "미정산 요금이 {count}건 있어 보증금을 환불할 수 없습니다.",
        "{count} fee(s) are still open; settle them before the deposit is refunded.",
    ),
    "circ.reader_has_deposit": message(
        409,
        "尚有 {count} 笔押金未退，请先退还押金再注销。",
        "환불하지 않은 보증금이 {count}건 있어 탈퇴할 수 없습니다. 먼저 환불하십시오.",
        "{count} deposit(s) are still held; refund them before deleting the account.",
    ),
}
