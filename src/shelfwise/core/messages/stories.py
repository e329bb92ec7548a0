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
    # What is missing is named per kind, so that no English word ends up inside the
    # Chinese or Korean sentence; an empty list is a dash.
    "stories.inaccessible": message(
        422,
        "还不能发布（WCAG 2.1 AA）。缺替代文本的图像：{alt}；缺文字稿的音频：{transcript}；缺字幕的视频：{captions}。",
        "아직 게시할 수 없습니다(WCAG 2.1 AA). 대체 텍스트가 없는 이미지: {alt}; 대본이 없는 오디오: {transcript}; 자막이 없는 동영상: {captions}.",
        "Not publishable yet (WCAG 2.1 AA). Images without alt text: {alt}; audio without a transcript: {transcript}; video without captions: {captions}.",
    ),
    "stories.bad_slug": message(
        422,
        "网址名只能用小写字母 a-z、数字 0-9 和连字符 -，最多 80 个字符。",
        "주소 이름에는 소문자 a-z, 숫자 0-9, 하이픈 -만 쓸 수 있고 80자를 넘을 수 없습니다.",
        "The address name may use only a-z, 0-9 and -, at most 80 characters.",
    ),
    "stories.bad_window": message(
        422,
        "下线时间必须晚于发布时间。",
        "게시 종료 시각은 게시 시각보다 뒤여야 합니다.",
        "The time to unpublish must be after the time to publish.",
    ),
    "stories.no_object": message(
        422,
        "没有这些编号的数字对象：{ids}。",
        "이 번호의 디지털 자료가 없습니다: {ids}.",
        "There is no digital object numbered {ids}.",
    ),
    "stories.cover_not_image": message(
        422,
        "封面必须是图像。",
        "표지는 이미지여야 합니다.",
        "The cover must be an image.",
    ),
    "stories.no_branch": message(
        422,
        "没有代码为“{branch}”的分馆。",
        "코드가 '{branch}'인 도서관이 없습니다.",
        "There is no branch with the code '{branch}'.",
    ),
    "stories.bad_time": message(
        422,
        "“{text}”不是日期和时间（例如 2026-12-08T09:00）。",
        "'{text}'은(는) 날짜와 시각이 아닙니다(예: 2026-12-08T09:00).",
        "'{text}' is not a date and time (for example 2026-12-08T09:00).",
    ),
    "stories.transition": message(
        409,
        "故事处于“{state}”状态，不能执行“{action}”。",
        "이야기가 '{state}' 상태라서 '{action}'을(를) 할 수 없습니다.",
        "The story is '{state}': it cannot be '{action}'.",
    ),
}
