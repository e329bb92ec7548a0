"""The self-check screens (SIP2): what a kiosk shows a reader it cannot serve."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- sip2 (self-check screens) ---
    "sip2.pin_required": message(
        401,
        "请输入读者证密码。",
        "대출증 비밀번호를 입력하십시오.",
        "Please enter your library card PIN.",
    ),
    "sip2.pin_locked": message(
        423,
        "密码错误次数过多，暂时不能在本机验证，请稍后再试或到服务台办理。",
        "비밀번호 오류가 너무 많아 잠시 이 기기에서 확인할 수 없습니다. 나중에 다시 시도하거나 안내 데스크로 가십시오.",
        "Too many wrong PINs; PIN checks at the machines are paused. Try later or ask at the desk.",
    ),
    "sip2.not_allowed": message(
        403,
        "本机不能办理此项业务，请到服务台。",
        "이 기기에서는 이 업무를 처리할 수 없습니다. 안내 데스크로 가십시오.",
        "This machine cannot do that; please ask at the desk.",
    ),
    "sip2.wrong_institution": message(
        403,
        "本机不属于该图书馆，请联系馆员。",
        "이 기기는 해당 도서관 소속이 아닙니다. 사서에게 문의하십시오.",
        "This machine does not belong to that library; please ask a librarian.",
    ),
    "sip2.reply_failed": message(
        500,
        "本机未能得到答复，本次业务没有办理，请到服务台。",
        "이 기기에 응답하지 못해 이번 업무는 처리되지 않았습니다. 안내 데스크로 가십시오.",
        "The machine could not be answered, so nothing was done; please ask at the desk.",
    ),
    "sip2.institution_missing": message(
        422,
        "本机未注明所属图书馆（AO），请联系馆员检查设置。",
        "이 기기가 소속 도서관(AO)을 보내지 않았습니다. 사서에게 설정 확인을 요청하십시오.",
        "This machine did not say which library it belongs to (AO); please ask a librarian.",
    ),
    "sip2.terminal_disabled": message(
        403,
        "本机已被馆员停用，请到服务台办理。",
        "이 기기는 사서가 사용을 중지했습니다. 안내 데스크를 이용하십시오.",
        "This machine has been switched off by the library; please ask at the desk.",
    ),
    "sip2.unknown_terminal": message(
        404,
        "没有名为 {name} 的自助终端账户。",
        "{name}(이)라는 무인 단말기 계정이 없습니다.",
        "There is no kiosk account named {name}.",
    ),
    "sip2.unsupported": message(
        422,
        "本机暂不支持此操作，请到服务台办理。",
        "이 기기는 아직 이 작업을 지원하지 않습니다. 안내 데스크를 이용하십시오.",
        "This is not available at the machine yet; please ask at the desk.",
    ),
}
