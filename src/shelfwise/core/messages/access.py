"""The access messages: staff logins, tokens, roles, branch scope and lockouts."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- access ---
    "access.login_failed": message(
        401,
        "用户名、读者证号或密码不正确。",
        "사용자 이름, 카드 번호 또는 비밀번호가 올바르지 않습니다.",
        "The user name, card number or password is wrong.",
    ),
    "access.current_secret_wrong": message(
        403,
        "当前密码或 PIN 不正确。",
        "현재 비밀번호 또는 PIN이 올바르지 않습니다.",
        "The current PIN or password is wrong.",
    ),
    "access.locked": message(
        429,
        "登录失败次数过多，已暂时锁定，请于 {until} 后再试或到服务台办理。",
        "로그인 실패가 너무 많아 잠시 잠겼습니다. {until} 이후 다시 시도하거나 안내 데스크를 이용하십시오.",
        "Too many failed logins: locked until {until}. Try again then, or ask at the desk.",
    ),
    "access.rate_limited": message(
        429,
        "操作过于频繁，请于 {until} 后再试，或到服务台办理。",
        "요청이 너무 잦습니다. {until} 이후 다시 시도하거나 안내 데스크를 이용하십시오.",
        "Too many requests from here: try again after {until}, or ask at the desk.",
    ),
    "access.unauthenticated": message(
        401,
        "请先登录。",
        "먼저 로그인하십시오.",
        "Please log in first (a session or API token is needed).",
    ),
    "access.forbidden": message(
        403,
        "您的账户无权执行此操作（需要权限：{permission}）。",
        "이 계정으로는 이 작업을 할 수 없습니다(필요한 권한: {permission}).",
        "Your account may not do this (it needs the permission {permission}).",
    ),
    "access.branch_forbidden": message(
        403,
        "您的账户不能在 {branch} 办理此业务（可办理的分馆：{scope}）。",
        "이 계정은 {branch}에서 이 업무를 처리할 수 없습니다(처리할 수 있는 분관: {scope}).",
        "Your account may not act at branch {branch}; it works at {scope}.",
    ),
    "access.network_forbidden": message(
        403,
        "此项适用于所有分馆，只能由不限分馆的账户修改（您的账户限于：{scope}）。",
        "이 항목은 모든 분관에 적용되므로 분관 제한이 없는 계정만 바꿀 수 있습니다(이 계정: {scope}).",
        "This applies at every branch, so only an account not limited to branches may change it "
        "(yours works at {scope}).",
    ),
    "access.not_yours": message(
        403,
        "只能办理本人的借阅和预约。",
        "본인의 대출과 예약만 처리할 수 있습니다.",
        "You may act only on your own loans and holds.",
    ),
    "access.branch_unknown": message(
        422,
        "没有分馆代码 {branch}：馆员账户只能限定在已有的分馆。",
        "분관 코드 {branch}이(가) 없습니다. 직원 계정은 있는 분관에만 지정할 수 있습니다.",
        "There is no branch {branch}: a staff account can be bound only to existing branches.",
    ),
    "access.username_invalid": message(
        422,
        "用户名 {username} 无效：请用 2–64 个小写字母、数字、点、下划线或连字符。",
        "사용자 이름 {username}이(가) 올바르지 않습니다. 소문자, 숫자, 점, 밑줄, 하이픈 2–64자를 쓰십시오.",
        "The user name {username} is not valid: use 2-64 lower-case letters, digits, '.', '_' or '-'.",
    ),
    "access.username_taken": message(
        409,
        "用户名 {username} 已被使用。",
        "사용자 이름 {username}은(는) 이미 쓰이고 있습니다.",
        "The user name {username} is already taken.",
    ),
    "access.staff_unknown": message(
        404,
        "没有用户名为 {username} 的馆员账户。",
        "사용자 이름이 {username}인 직원 계정이 없습니다.",
        "There is no staff account {username}.",
    ),
    "access.role_unknown": message(
        422,
        "未知角色 {role}；可用角色：{roles}。",
        "알 수 없는 역할 {role}입니다. 쓸 수 있는 역할: {roles}.",
        "Unknown role {role}; the roles are {roles}.",
    ),
    "access.password_weak": message(
        422,
        "馆员密码至少需要 {minimum} 个字符。",
        "직원 비밀번호는 {minimum}자 이상이어야 합니다.",
        "A staff password needs at least {minimum} characters.",
    ),
    "access.token_unknown": message(
        404,
        "没有编号为 {token} 的 API 令牌。",
        "번호가 {token}인 API 토큰이 없습니다.",
        "There is no API token {token}.",
    ),
}
