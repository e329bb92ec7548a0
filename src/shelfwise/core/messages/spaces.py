"""The spaces and events messages: rooms, seats, bookings, check-in, registrations."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- spaces ---
    "spaces.room_not_found": message(
        404, "没有这个阅览室或研讨间。", "그런 열람실이나 스터디룸이 없습니다.", "No such room."
    ),
    "spaces.unit_not_found": message(
        404, "没有这个座位。", "그런 좌석이 없습니다.", "No such seat or room to book."
    ),
    "spaces.booking_not_found": message(
        404, "没有这条预约。", "그런 예약이 없습니다.", "No such booking."
    ),
    "spaces.room_exists": message(
        409,
        "本馆已有代码为 {room} 的空间。",
        "이 분관에 코드가 {room}인 공간이 이미 있습니다.",
        "This branch already has a room with the code {room}.",
    ),
    "spaces.grid_invalid": message(
        422,
        "座位图有误：{detail}",
        "좌석 배치도가 올바르지 않습니다: {detail}",
        "The seat map is not valid: {detail}",
    ),
    "spaces.rule_invalid": message(
        422,
        "预约规则有误：{detail}",
        "예약 규칙이 올바르지 않습니다: {detail}",
        "The booking rule is not valid: {detail}",
    ),
    "spaces.unit_taken": message(
        409,
        "该座位在所选时段已被预约，请换一个座位或时段。",
        "이 좌석은 선택한 시간에 이미 예약되었습니다. 다른 좌석이나 시간을 고르십시오.",
        "This seat is already booked for that time: choose another seat or time.",
    ),
    "spaces.room_busy": message(
        409,
        "该空间在所选时段已有预约。",
        "이 공간은 선택한 시간에 이미 예약이 있습니다.",
        "The room has bookings in that time.",
    ),
    "spaces.unit_disabled": message(
        409,
        "该座位暂停使用。",
        "이 좌석은 현재 사용할 수 없습니다.",
        "This seat is out of use for now.",
    ),
    "spaces.in_past": message(
        422,
        "不能预约已经过去的时间。",
        "지난 시간은 예약할 수 없습니다.",
        "That time has already passed.",
    ),
    "spaces.not_on_slot": message(
        422,
        "预约须按 {minutes} 分钟的时段开始和结束。",
        "예약은 {minutes}분 단위로 시작하고 끝나야 합니다.",
        "Bookings start and end on {minutes}-minute slots.",
    ),
    "spaces.too_long": message(
        422,
        "每天最多可预约 {minutes} 分钟（已预约 {used} 分钟）。",
        "하루에 최대 {minutes}분까지 예약할 수 있습니다(이미 {used}분 예약).",
        "You may book at most {minutes} minutes a day ({used} already booked).",
    ),
    "spaces.too_far_ahead": message(
        422,
        "最多可提前 {days} 天预约。",
        "최대 {days}일 전까지 예약할 수 있습니다.",
        "You may book at most {days} days ahead.",
    ),
    "spaces.at_once": message(
        409,
        "您已有 {count} 个有效预约，已达上限。",
        "이미 유효한 예약이 {count}건 있어 더 예약할 수 없습니다.",
        "You already hold {count} bookings, the most at once.",
    ),
    "spaces.closed": message(
        422,
        "该空间在 {at} 不开放。",
        "이 공간은 {at}에 열려 있지 않습니다.",
        "The room is not open at {at}.",
    ),
    "spaces.suspended": message(
        403,
        "近 {days} 天内您有 {count} 次预约未签到，预约功能暂停至 {until}。",
        "최근 {days}일 동안 예약 후 {count}번 오지 않아 {until}까지 예약할 수 없습니다.",
        "{count} bookings were not checked in within {days} days: booking is suspended "
        "until {until}.",
    ),
    "spaces.reader_blocked": message(
        403,
        "您的读者证目前不能预约（{reason}）。",
        "현재 이 카드로는 예약할 수 없습니다({reason}).",
        "Your card may not book at the moment ({reason}).",
    ),
    "spaces.qr_invalid": message(
        403,
        "二维码无效，请扫描座位上的二维码。",
        "QR 코드가 올바르지 않습니다. 좌석에 붙은 QR 코드를 스캔하십시오.",
        "This QR code is not valid: scan the code on the seat.",
    ),
    "spaces.qr_expired": message(
        410,
        "二维码已过期，请扫描座位上新贴的二维码。",
        "만료된 QR 코드입니다. 좌석에 새로 붙은 QR 코드를 스캔하십시오.",
        "This QR code has expired: scan the new code on the seat.",
    ),
    "spaces.checkin_window": message(
        409,
        "签到时间为 {opens} 至 {closes}。",
        "체크인은 {opens}부터 {closes}까지 할 수 있습니다.",
        "Check-in is open from {opens} to {closes}.",
    ),
    "spaces.already_checked_in": message(
        409, "您已签到。", "이미 체크인했습니다.", "You have already checked in."
    ),
    "spaces.booking_state": message(
        409,
        "该预约当前为“{state}”，不能这样操作。",
        "이 예약은 현재 '{state}' 상태라 이 작업을 할 수 없습니다.",
        "The booking is {state}: that cannot be done now.",
    ),
    # --- events ---
    "events.not_found": message(404, "没有这个活动。", "그런 행사가 없습니다.", "No such event."),
    "events.invalid": message(
        422,
        "活动信息有误：{detail}",
        "행사 정보가 올바르지 않습니다: {detail}",
        "The event is not valid: it needs {detail}.",
    ),
    "events.cancelled": message(
        409, "该活动已取消。", "이 행사는 취소되었습니다.", "This event has been called off."
    ),
    "events.registration_closed": message(
        409,
        "报名时间为 {opens} 至 {closes}。",
        "신청 기간은 {opens}부터 {closes}까지입니다.",
        "Registration is open from {opens} to {closes}.",
    ),
    "events.already_registered": message(
        409,
        "您已报名（{state}）。",
        "이미 신청했습니다({state}).",
        "You are already on the list ({state}).",
    ),
    "events.not_registered": message(
        409,
        "您没有报名这个活动。",
        "이 행사에 신청하지 않았습니다.",
        "You do not hold a place at this event.",
    ),
    "events.already_attended": message(
        409, "您已签到。", "이미 출석했습니다.", "You are already marked present."
    ),
    "events.not_now": message(
        409,
        "活动开始前一小时至结束前可签到。",
        "행사 시작 한 시간 전부터 끝날 때까지 출석할 수 있습니다.",
        "Attendance is taken from an hour before the start until the end.",
    ),
}
