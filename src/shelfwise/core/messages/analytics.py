"""The statistics' and recommendations' messages (issue 21)."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    "analytics.bad_kind": message(
        422,
        "没有“{kind}”这种统计；可用的有：{allowed}。",
        "'{kind}' 통계는 없습니다. 쓸 수 있는 것: {allowed}.",
        "There is no statistic '{kind}'; there are: {allowed}.",
    ),
    "analytics.bad_grouping": message(
        422,
        "不能按“{by}”分组：至多一个时间（day 或 month）和一个维度，从 {allowed} 中选。",
        "'{by}'(으)로 묶을 수 없습니다. 시간(day 또는 month) 하나와 항목 하나까지, {allowed} 중에서 고르세요.",
        "Cannot group by '{by}': at most one of day or month and one dimension, from {allowed}.",
    ),
    "analytics.bad_period": message(
        422,
        "时间段 {since} 至 {until} 无效：开始不能晚于结束，且不超过三年。",
        "기간 {since}~{until}이(가) 잘못되었습니다. 시작이 끝보다 늦을 수 없고 3년을 넘을 수 없습니다.",
        "The period {since} to {until} is not valid: it must not end before it starts or span more than three years.",
    ),
}
