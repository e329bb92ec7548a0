"""The web pages' own messages: forms, PIN confirmation, pages an account may not use."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- web pages ---
    "web.csrf": message(
        403,
        "表单已过期或来自其他网站，请返回上一页刷新后重新提交。",
        "양식이 만료되었거나 다른 사이트에서 왔습니다. 이전 페이지를 새로 고친 뒤 다시 제출하십시오.",
        "This form has expired or came from another site; go back, reload the page and send it again.",
    ),
    "web.pin_mismatch": message(
        422,
        "两次输入的密码不一致。",
        "두 번 입력한 PIN이 서로 다릅니다.",
        "The two PINs you typed are not the same.",
    ),
    "web.forbidden": message(
        403,
        "您的账户无权使用此页面。",
        "이 계정으로는 이 페이지를 사용할 수 없습니다.",
        "Your account may not use this page.",
    ),
}
