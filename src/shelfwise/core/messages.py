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
    "request.method_not_allowed": _m(
        405,
        "此地址不接受 {method} 请求；可用的方法：{allow}。",
        "이 주소는 {method} 요청을 받지 않습니다. 쓸 수 있는 방법: {allow}.",
        "This address does not take {method} requests; use {allow}.",
    ),
    "request.too_large": _m(
        413,
        "请求内容过大：上限为 {limit}。较大的 MARC 文件请用命令行 shelfwise import 导入。",
        "요청 내용이 너무 큽니다. 한도는 {limit}입니다. 큰 MARC 파일은 명령줄의 shelfwise import로 가져오십시오.",
        "The request is too large: the limit is {limit}. Import larger MARC files with "
        "`shelfwise import` on the server.",
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
    # --- search ---
    "search.index_building": _m(
        503,
        "检索索引正在建立（已完成 {done}/{total} 条记录），请约 {retry_after} 秒后再试。",
        "검색 색인을 만드는 중입니다({total}건 중 {done}건 완료). 약 {retry_after}초 뒤에 다시 시도하십시오.",
        "The search index is being built ({done} of {total} records done); "
        "try again in about {retry_after} seconds.",
    ),
    # --- readers ---
    "readers.not_found": _m(
        404,
        "读者证 {card} 不存在。",
        "이용자 카드 {card}이(가) 없습니다.",
        "There is no reader with card {card}.",
    ),
    "readers.unknown_category": _m(
        422,
        "读者类型 {category} 不存在。",
        "이용자 구분 {category}이(가) 없습니다.",
        "Reader category {category} does not exist.",
    ),
    "readers.email_invalid": _m(
        422,
        "电子邮件地址无效。",
        "전자우편 주소가 올바르지 않습니다.",
        "The e-mail address is not valid.",
    ),
    "readers.email_required": _m(
        422,
        "在线注册需要电子邮件地址。",
        "온라인 가입에는 전자우편 주소가 필요합니다.",
        "Registering online needs an e-mail address.",
    ),
    "readers.pin_invalid": _m(
        422,
        "密码（PIN）须为 4 至 8 位数字。",
        "PIN은 숫자 4~8자리여야 합니다.",
        "A PIN is 4 to 8 digits.",
    ),
    "readers.password_invalid": _m(
        422,
        "密码至少需要 8 个字符。",
        "비밀번호는 8자 이상이어야 합니다.",
        "A password needs at least 8 characters.",
    ),
    "readers.id_card_invalid": _m(
        422,
        "身份证号码格式不正确。",
        "신분증 번호 형식이 올바르지 않습니다.",
        "The identity-card number is not in a valid form.",
    ),
    "readers.id_card_registered": _m(
        409,
        "该身份证已办理过读者证。",
        "이 신분증으로 이미 이용자 카드가 발급되었습니다.",
        "A reader card already exists for this identity card.",
    ),
    "readers.card_taken": _m(
        409,
        "读者证号 {card} 已被使用。",
        "카드 번호 {card}은(는) 이미 쓰이고 있습니다.",
        "Card number {card} is already in use.",
    ),
    "readers.token_invalid": _m(
        422,
        "验证链接无效或已使用。",
        "확인 링크가 올바르지 않거나 이미 사용되었습니다.",
        "The confirmation link is not valid or was already used.",
    ),
    "readers.login_failed": _m(
        401,
        "读者证号或密码不正确。",
        "카드 번호 또는 비밀번호가 올바르지 않습니다.",
        "The card number or the PIN/password is wrong.",
    ),
    "readers.unknown_purpose": _m(
        422,
        "未知的授权用途 {purpose}。",
        "알 수 없는 동의 목적 {purpose}입니다.",
        "Unknown consent purpose {purpose}.",
    ),
    "readers.category_not_self_service": _m(
        422,
        "在线注册不能选择读者类型 {category}（可选：{allowed}），请到服务台办理。",
        "온라인 가입으로는 이용자 구분 {category}을(를) 고를 수 없습니다(가능: {allowed}). 안내 데스크를 이용하십시오.",
        "Category {category} cannot be chosen online (allowed: {allowed}); please register at the desk.",
    ),
    "readers.secret_required": _m(
        422,
        "在线注册需设置密码或 PIN（至少一项）。",
        "온라인 가입에는 비밀번호 또는 PIN이 필요합니다(하나 이상).",
        "Registering online needs a password or a PIN (at least one).",
    ),
    # --- access ---
    "access.login_failed": _m(
        401,
        "用户名、读者证号或密码不正确。",
        "사용자 이름, 카드 번호 또는 비밀번호가 올바르지 않습니다.",
        "The user name, card number or password is wrong.",
    ),
    "access.locked": _m(
        429,
        "登录失败次数过多，已暂时锁定，请于 {until} 后再试或到服务台办理。",
        "로그인 실패가 너무 많아 잠시 잠겼습니다. {until} 이후 다시 시도하거나 안내 데스크를 이용하십시오.",
        "Too many failed logins: locked until {until}. Try again then, or ask at the desk.",
    ),
    "access.rate_limited": _m(
        429,
        "操作过于频繁，请于 {until} 后再试，或到服务台办理。",
        "요청이 너무 잦습니다. {until} 이후 다시 시도하거나 안내 데스크를 이용하십시오.",
        "Too many requests from here: try again after {until}, or ask at the desk.",
    ),
    "access.unauthenticated": _m(
        401,
        "请先登录。",
        "먼저 로그인하십시오.",
        "Please log in first (a session or API token is needed).",
    ),
    "access.forbidden": _m(
        403,
        "您的账户无权执行此操作（需要权限：{permission}）。",
        "이 계정으로는 이 작업을 할 수 없습니다(필요한 권한: {permission}).",
        "Your account may not do this (it needs the permission {permission}).",
    ),
    "access.branch_forbidden": _m(
        403,
        "您的账户不能在 {branch} 办理此业务（可办理的分馆：{scope}）。",
        "이 계정은 {branch}에서 이 업무를 처리할 수 없습니다(처리할 수 있는 분관: {scope}).",
        "Your account may not act at branch {branch}; it works at {scope}.",
    ),
    "access.network_forbidden": _m(
        403,
        "此项适用于所有分馆，只能由不限分馆的账户修改（您的账户限于：{scope}）。",
        "이 항목은 모든 분관에 적용되므로 분관 제한이 없는 계정만 바꿀 수 있습니다(이 계정: {scope}).",
        "This applies at every branch, so only an account not limited to branches may change it "
        "(yours works at {scope}).",
    ),
    "access.not_yours": _m(
        403,
        "只能办理本人的借阅和预约。",
        "본인의 대출과 예약만 처리할 수 있습니다.",
        "You may act only on your own loans and holds.",
    ),
    "access.branch_unknown": _m(
        422,
        "没有分馆代码 {branch}：馆员账户只能限定在已有的分馆。",
        "분관 코드 {branch}이(가) 없습니다. 직원 계정은 있는 분관에만 지정할 수 있습니다.",
        "There is no branch {branch}: a staff account can be bound only to existing branches.",
    ),
    "access.username_invalid": _m(
        422,
        "用户名 {username} 无效：请用 2–64 个小写字母、数字、点、下划线或连字符。",
        "사용자 이름 {username}이(가) 올바르지 않습니다. 소문자, 숫자, 점, 밑줄, 하이픈 2–64자를 쓰십시오.",
        "The user name {username} is not valid: use 2-64 lower-case letters, digits, '.', '_' or '-'.",
    ),
    "access.username_taken": _m(
        409,
        "用户名 {username} 已被使用。",
        "사용자 이름 {username}은(는) 이미 쓰이고 있습니다.",
        "The user name {username} is already taken.",
    ),
    "access.staff_unknown": _m(
        404,
        "没有用户名为 {username} 的馆员账户。",
        "사용자 이름이 {username}인 직원 계정이 없습니다.",
        "There is no staff account {username}.",
    ),
    "access.role_unknown": _m(
        422,
        "未知角色 {role}；可用角色：{roles}。",
        "알 수 없는 역할 {role}입니다. 쓸 수 있는 역할: {roles}.",
        "Unknown role {role}; the roles are {roles}.",
    ),
    "access.password_weak": _m(
        422,
        "馆员密码至少需要 {minimum} 个字符。",
        "직원 비밀번호는 {minimum}자 이상이어야 합니다.",
        "A staff password needs at least {minimum} characters.",
    ),
    "access.token_unknown": _m(
        404,
        "没有编号为 {token} 的 API 令牌。",
        "번호가 {token}인 API 토큰이 없습니다.",
        "There is no API token {token}.",
    ),
    # --- circulation ---
    "circ.transition": _m(
        409,
        "{kind} 不能由“{current}”经“{op}”变为“{target}”。",
        "{kind}을(를) '{op}'(으)로 '{current}'에서 '{target}'(으)로 바꿀 수 없습니다.",
        "A {kind} cannot go from '{current}' to '{target}' by {op}.",
    ),
    "circ.reader_pending": _m(
        403,
        "请先确认电子邮件，读者证才能借书。",
        "전자우편을 확인해야 대출할 수 있습니다.",
        "Confirm your e-mail address before borrowing.",
    ),
    "circ.card_expired": _m(
        403,
        "读者证已于 {expired} 过期，请续办。",
        "이용자 카드가 {expired}에 만료되었습니다. 갱신하십시오.",
        "The reader card expired on {expired}; renew it at a desk.",
    ),
    "circ.reader_blocked": _m(
        403,
        "读者证已停用：{reason}",
        "이용자 카드가 정지되었습니다: {reason}",
        "The reader card is blocked: {reason}",
    ),
    "circ.fees_over_limit": _m(
        403,
        "欠费 {owed} 元，超过 {limit} 元的上限，请先缴费。",
        "미납 요금 {owed}원이 한도 {limit}원을 넘습니다. 먼저 납부하십시오.",
        "Fees of {owed} exceed the limit of {limit}; please pay first.",
    ),
    "circ.loan_limit": _m(
        409,
        "已达借阅上限 {limit} 册。",
        "대출 한도 {limit}권에 도달했습니다.",
        "The loan limit of {limit} items is reached.",
    ),
    "circ.item_not_loanable": _m(
        409,
        "册 {barcode} 当前不可借（{state}）。",
        "자료 {barcode}은(는) 지금 대출할 수 없습니다({state}).",
        "Item {barcode} cannot be lent now ({state}).",
    ),
    "circ.not_loanable_by_rule": _m(
        409,
        "册 {barcode} 仅供馆内阅览。",
        "자료 {barcode}은(는) 관내 열람 전용입니다.",
        "Item {barcode} is for use in the library only.",
    ),
    "circ.item_on_loan": _m(
        409,
        "册 {barcode} 已被借出。",
        "자료 {barcode}은(는) 이미 대출 중입니다.",
        "Item {barcode} is already on loan.",
    ),
    "circ.item_already_yours": _m(
        409,
        "册 {barcode} 已借给您。",
        "자료 {barcode}은(는) 이미 귀하에게 대출되어 있습니다.",
        "Item {barcode} is already on loan to you.",
    ),
    "circ.item_on_hold": _m(
        409,
        "册 {barcode} 已为其他读者预约保留。",
        "자료 {barcode}은(는) 다른 이용자의 예약으로 보관 중입니다.",
        "Item {barcode} is held for another reader.",
    ),
    "circ.not_on_loan": _m(
        409,
        "册 {barcode} 不在借出状态。",
        "자료 {barcode}은(는) 대출 중이 아닙니다.",
        "Item {barcode} is not on loan.",
    ),
    "circ.not_your_loan": _m(
        409,
        "册 {barcode} 不在您的借阅中。",
        "자료 {barcode}은(는) 귀하의 대출 목록에 없습니다.",
        "Item {barcode} is not on loan to you.",
    ),
    "circ.loan_not_found": _m(
        404,
        "借阅记录 {loan} 不存在。",
        "대출 기록 {loan}이(가) 없습니다.",
        "Loan {loan} does not exist.",
    ),
    "circ.renew_limit": _m(
        409,
        "《{title}》（{barcode}）已续借 {limit} 次，达到上限。",
        "《{title}》({barcode})은(는) 연장 한도 {limit}회에 도달했습니다.",
        "'{title}' ({barcode}) has been renewed {limit} times, the limit.",
    ),
    "circ.renew_on_hold": _m(
        409,
        "《{title}》（{barcode}）有其他读者预约，不能续借。",
        "《{title}》({barcode})에 다른 이용자의 예약이 있어 연장할 수 없습니다.",
        "'{title}' ({barcode}) is reserved by another reader and cannot be renewed.",
    ),
    "circ.renew_lost": _m(
        409,
        "《{title}》（{barcode}）已登记遗失，不能续借。",
        "《{title}》({barcode})은(는) 분실 처리되어 연장할 수 없습니다.",
        "'{title}' ({barcode}) was declared lost and cannot be renewed.",
    ),
    "circ.renew_too_soon": _m(
        409,
        "《{title}》（{barcode}）现在续借不会延长应还日期（{due}），请稍后再续。",
        "《{title}》({barcode})은(는) 지금 연장해도 반납 예정일({due})이 늘지 않습니다. 나중에 연장하십시오.",
        "Renewing '{title}' ({barcode}) now would not move its due date ({due}); renew it later.",
    ),
    "circ.hours_invalid": _m(
        422,
        "开放时间有误：{detail}",
        "운영 시간이 올바르지 않습니다: {detail}",
        "The opening hours are not valid: {detail}",
    ),
    "circ.overdue_loans": _m(
        403,
        "有 {overdue} 册逾期、{lost} 册遗失未处理，请先归还或续借后再借。",
        "연체 {overdue}권, 분실 {lost}권이 있어 반납하거나 연장한 뒤에 대출할 수 있습니다.",
        "{overdue} overdue and {lost} lost loan(s) must be returned or renewed before borrowing more.",
    ),
    "circ.hold_limit": _m(
        409,
        "已达预约上限 {limit} 条。",
        "예약 한도 {limit}건에 도달했습니다.",
        "The hold limit of {limit} is reached.",
    ),
    "circ.hold_exists": _m(
        409,
        "您已预约过该书目。",
        "이미 이 자료를 예약했습니다.",
        "You already have a hold on this title.",
    ),
    "circ.hold_item_mismatch": _m(
        422,
        "册 {barcode} 不属于该书目。",
        "자료 {barcode}은(는) 이 서지에 속하지 않습니다.",
        "Item {barcode} does not belong to this title.",
    ),
    "circ.nothing_to_hold": _m(
        409,
        "书目 {record_id} 没有可预约的馆藏。",
        "서지 {record_id}에 예약할 수 있는 소장 자료가 없습니다.",
        "Title {record_id} has no copy that can be reserved.",
    ),
    "circ.hold_not_found": _m(
        404, "预约 {hold} 不存在。", "예약 {hold}이(가) 없습니다.", "Hold {hold} does not exist."
    ),
    "circ.pickup_fixed": _m(
        409,
        "预约 {hold} 的书已在送往取书馆途中或已到馆，不能再更改取书地点。",
        "예약 {hold}의 자료가 이미 수령 도서관으로 가는 중이거나 도착해 수령 장소를 바꿀 수 없습니다.",
        "A copy for hold {hold} is already on its way to or waiting at the pickup branch; the pickup branch can no longer change.",
    ),
    "circ.hold_closed": _m(
        409,
        "预约 {hold} 已结束（{status}）。",
        "예약 {hold}은(는) 이미 종료되었습니다({status}).",
        "Hold {hold} is already closed ({status}).",
    ),
    "circ.fee_not_found": _m(
        404, "费用 {fee} 不存在。", "요금 {fee}이(가) 없습니다.", "Fee {fee} does not exist."
    ),
    "circ.fee_closed": _m(
        409,
        "费用 {fee} 已结清。",
        "요금 {fee}은(는) 이미 정산되었습니다.",
        "Fee {fee} is already settled.",
    ),
    "circ.fee_amount": _m(
        422,
        "金额 {amount} 无效。",
        "금액 {amount}이(가) 올바르지 않습니다.",
        "The amount {amount} is not valid.",
    ),
    "circ.fee_kind": _m(
        422,
        "不能手工收取“{kind}”类费用。",
        "'{kind}' 요금은 직접 부과할 수 없습니다.",
        "Fees of kind '{kind}' cannot be charged by hand.",
    ),
    "circ.rule_invalid": _m(
        422,
        "借阅规则无效：{fields}",
        "대출 규칙이 올바르지 않습니다: {fields}",
        "The loan rule is not valid: {fields}",
    ),
    "circ.rule_not_found": _m(
        404,
        "借阅规则 {rule} 不存在。",
        "대출 규칙 {rule}이(가) 없습니다.",
        "Loan rule {rule} does not exist.",
    ),
    "circ.calendar_invalid": _m(
        422,
        "开馆日历无效（星期 0–6，且每周至少开放一天）。",
        "개관 일정이 올바르지 않습니다(요일 0–6, 주 1일 이상 개관).",
        "The calendar is not valid (weekdays 0–6, open at least one day a week).",
    ),
    "circ.reader_has_loans": _m(
        409,
        "尚有 {count} 册未还，不能注销。",
        "반납하지 않은 자료가 {count}권 있어 탈퇴할 수 없습니다.",
        "{count} item(s) are still on loan; return them before deleting the account.",
    ),
    "circ.reader_has_fees": _m(
        409,
        "尚有 {count} 笔未结费用，不能注销。",
        "미정산 요금이 {count}건 있어 탈퇴할 수 없습니다.",
        "{count} fee(s) are still open; settle them before deleting the account.",
    ),
    "circ.idempotency_mismatch": _m(
        409,
        "该幂等键已用于另一个请求（{operation}），请为新的请求使用新的键。",
        "이 멱등 키는 이미 다른 요청({operation})에 쓰였습니다. 새 요청에는 새 키를 쓰십시오.",
        "This idempotency key was already used for a different request ({operation}); "
        "use a new key for a new request.",
    ),
    "circ.deposit_required": _m(
        403,
        "借书需交押金 {required} 元（现有 {held} 元），或符合信用借阅条件：{reasons}。",
        "대출하려면 보증금 {required}위안이 필요합니다(현재 {held}위안). 또는 신용 대출 조건을 충족해야 합니다: {reasons}.",
        "Borrowing needs a deposit of {required} yuan (held: {held}) or credit eligibility: {reasons}.",
    ),
    "circ.deposit_not_found": _m(
        404,
        "押金记录 {deposit} 不存在。",
        "보증금 기록 {deposit}이(가) 없습니다.",
        "There is no deposit {deposit}.",
    ),
    "circ.deposit_amount": _m(
        422,
        "押金金额无效：{amount}（以分计，须大于 0）。",
        "보증금 금액이 올바르지 않습니다: {amount}(펀 단위, 0보다 커야 함).",
        "The deposit amount is not valid: {amount} (in fen, more than 0).",
    ),
    "circ.deposit_method": _m(
        422,
        "不支持的缴费方式 {method}（可用：{allowed}）。",
        "지원하지 않는 납부 방법 {method}입니다(가능: {allowed}).",
        "Unknown payment method {method} (allowed: {allowed}).",
    ),
    "circ.deposit_refunded": _m(
        409,
        "押金 {deposit} 已经退还。",
        "보증금 {deposit}은(는) 이미 환불되었습니다.",
        "Deposit {deposit} was already refunded.",
    ),
    "circ.deposit_refund_loans": _m(
        409,
        "尚有 {count} 册未还，不能退押金。",
        "반납하지 않은 자료가 {count}권 있어 보증금을 환불할 수 없습니다.",
        "{count} item(s) are still on loan; return them before the deposit is refunded.",
    ),
    "circ.deposit_refund_fees": _m(
        409,
        "尚有 {count} 笔未结费用，不能退押金。",
        "미정산 요금이 {count}건 있어 보증금을 환불할 수 없습니다.",
        "{count} fee(s) are still open; settle them before the deposit is refunded.",
    ),
    "circ.reader_has_deposit": _m(
        409,
        "尚有 {count} 笔押金未退，请先退还押金再注销。",
        "환불하지 않은 보증금이 {count}건 있어 탈퇴할 수 없습니다. 먼저 환불하십시오.",
        "{count} deposit(s) are still held; refund them before deleting the account.",
    ),
    # --- sip2 (self-check screens) ---
    "sip2.pin_required": _m(
        401,
        "请输入读者证密码。",
        "대출증 비밀번호를 입력하십시오.",
        "Please enter your library card PIN.",
    ),
    "sip2.pin_locked": _m(
        423,
        "密码错误次数过多，暂时不能在本机验证，请稍后再试或到服务台办理。",
        "비밀번호 오류가 너무 많아 잠시 이 기기에서 확인할 수 없습니다. 나중에 다시 시도하거나 안내 데스크로 가십시오.",
        "Too many wrong PINs; PIN checks at the machines are paused. Try later or ask at the desk.",
    ),
    "sip2.not_allowed": _m(
        403,
        "本机不能办理此项业务，请到服务台。",
        "이 기기에서는 이 업무를 처리할 수 없습니다. 안내 데스크로 가십시오.",
        "This machine cannot do that; please ask at the desk.",
    ),
    "sip2.wrong_institution": _m(
        403,
        "本机不属于该图书馆，请联系馆员。",
        "이 기기는 해당 도서관 소속이 아닙니다. 사서에게 문의하십시오.",
        "This machine does not belong to that library; please ask a librarian.",
    ),
    "sip2.reply_failed": _m(
        500,
        "本机未能得到答复，本次业务没有办理，请到服务台。",
        "이 기기에 응답하지 못해 이번 업무는 처리되지 않았습니다. 안내 데스크로 가십시오.",
        "The machine could not be answered, so nothing was done; please ask at the desk.",
    ),
    "sip2.institution_missing": _m(
        422,
        "本机未注明所属图书馆（AO），请联系馆员检查设置。",
        "이 기기가 소속 도서관(AO)을 보내지 않았습니다. 사서에게 설정 확인을 요청하십시오.",
        "This machine did not say which library it belongs to (AO); please ask a librarian.",
    ),
    "sip2.terminal_disabled": _m(
        403,
        "本机已被馆员停用，请到服务台办理。",
        "이 기기는 사서가 사용을 중지했습니다. 안내 데스크를 이용하십시오.",
        "This machine has been switched off by the library; please ask at the desk.",
    ),
    "sip2.unknown_terminal": _m(
        404,
        "没有名为 {name} 的自助终端账户。",
        "{name}(이)라는 무인 단말기 계정이 없습니다.",
        "There is no kiosk account named {name}.",
    ),
    "sip2.unsupported": _m(
        422,
        "本机暂不支持此操作，请到服务台办理。",
        "이 기기는 아직 이 작업을 지원하지 않습니다. 안내 데스크를 이용하십시오.",
        "This is not available at the machine yet; please ask at the desk.",
    ),
    # --- web pages ---
    "web.csrf": _m(
        403,
        "表单已过期或来自其他网站，请返回上一页刷新后重新提交。",
        "양식이 만료되었거나 다른 사이트에서 왔습니다. 이전 페이지를 새로 고친 뒤 다시 제출하십시오.",
        "This form has expired or came from another site; go back, reload the page and send it again.",
    ),
    "web.pin_mismatch": _m(
        422,
        "两次输入的密码不一致。",
        "두 번 입력한 PIN이 서로 다릅니다.",
        "The two PINs you typed are not the same.",
    ),
    "web.forbidden": _m(
        403,
        "您的账户无权使用此页面。",
        "이 계정으로는 이 페이지를 사용할 수 없습니다.",
        "Your account may not use this page.",
    ),
}
