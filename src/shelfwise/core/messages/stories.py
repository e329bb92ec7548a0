"""Stories' refusals (issue 17): the editor's mistakes and the publishing checks."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    "stories.not_found": message(
        404,
        "没有这个故事。",
        "그런 이야기가 없습니다.",
        "There is no such story.",
    ),
    "stories.invalid": message(
        422,
        "故事内容有误：{detail}",
        "이야기 내용이 잘못되었습니다: {detail}",
        "The story is not right: {detail}",
    ),
    "stories.slug_taken": message(
        409,
        "网址名“{slug}”已被另一个故事使用。",
        "주소 이름 '{slug}'은(는) 다른 이야기가 쓰고 있습니다.",
        "The address name '{slug}' is used by another story.",
    ),
    "stories.inaccessible": message(
        422,
        "还不能发布：{detail}（WCAG 2.1 AA 要求图像有替代文本，音频有文字稿，视频有字幕）。",
        "아직 게시할 수 없습니다: {detail} (WCAG 2.1 AA: 이미지에는 대체 텍스트, 오디오에는 대본, 동영상에는 자막이 있어야 합니다).",
        "Not publishable yet: {detail} (WCAG 2.1 AA: images need alt text, audio a transcript, video captions).",
    ),
    "stories.transition": message(
        409,
        "故事处于“{state}”状态，不能执行“{action}”。",
        "이야기가 '{state}' 상태라서 '{action}'을(를) 할 수 없습니다.",
        "The story is '{state}': it cannot be '{action}'.",
    ),
}
