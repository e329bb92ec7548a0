"""The readers' messages: registration, cards, PINs and passwords, consents, blocks."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- readers ---
    "readers.not_found": message(
        404,
        "读者证 {card} 不存在。",
        "이용자 카드 {card}이(가) 없습니다.",
        "There is no reader with card {card}.",
    ),
    "readers.unknown_category": message(
        422,
        "读者类型 {category} 不存在。",
        "이용자 구분 {category}이(가) 없습니다.",
        "Reader category {category} does not exist.",
    ),
    "readers.email_invalid": message(
        422,
        "电子邮件地址无效。",
        "전자우편 주소가 올바르지 않습니다.",
        "The e-mail address is not valid.",
    ),
    "readers.email_required": message(
        422,
        "在线注册需要电子邮件地址。",
        "온라인 가입에는 전자우편 주소가 필요합니다.",
        "Registering online needs an e-mail address.",
    ),
    "readers.pin_invalid": message(
        422,
        "密码（PIN）须为 4 至 8 位数字。",
        "PIN은 숫자 4~8자리여야 합니다.",
        "A PIN is 4 to 8 digits.",
    ),
    "readers.password_invalid": message(
        422,
        "密码至少需要 8 个字符。",
        "비밀번호는 8자 이상이어야 합니다.",
        "A password needs at least 8 characters.",
    ),
    "readers.id_card_invalid": message(
        422,
        "身份证号码格式不正确。",
        "신분증 번호 형식이 올바르지 않습니다.",
        "The identity-card number is not in a valid form.",
    ),
    "readers.id_card_registered": message(
        409,
        "该身份证已办理过读者证。",
        "이 신분증으로 이미 이용자 카드가 발급되었습니다.",
        "A reader card already exists for this identity card.",
    ),
    "readers.card_taken": message(
        409,
        "读者证号 {card} 已被使用。",
        "카드 번호 {card}은(는) 이미 쓰이고 있습니다.",
        "Card number {card} is already in use.",
    ),
    "readers.token_invalid": message(
        422,
        "验证链接无效或已使用。",
        "확인 링크가 올바르지 않거나 이미 사용되었습니다.",
        "The confirmation link is not valid or was already used.",
    ),
    "readers.login_failed": message(
        401,
        "读者证号或密码不正确。",
        "카드 번호 또는 비밀번호가 올바르지 않습니다.",
        "The card number or the PIN/password is wrong.",
    ),
    "readers.unknown_purpose": message(
        422,
        "未知的授权用途 {purpose}。",
        "알 수 없는 동의 목적 {purpose}입니다.",
        "Unknown consent purpose {purpose}.",
    ),
    "readers.category_not_self_service": message(
        422,
        "在线注册不能选择读者类型 {category}（可选：{allowed}），请到服务台办理。",
        "온라인 가입으로는 이용자 구분 {category}을(를) 고를 수 없습니다(가능: {allowed}). 안내 데스크를 이용하십시오.",
        "Category {category} cannot be chosen online (allowed: {allowed}); please register at the desk.",
    ),
    "readers.secret_required": message(
        422,
        "在线注册需设置密码或 PIN（至少一项）。",
        "온라인 가입에는 비밀번호 또는 PIN이 필요합니다(하나 이상).",
        "Registering online needs a password or a PIN (at least one).",
    ),
}
