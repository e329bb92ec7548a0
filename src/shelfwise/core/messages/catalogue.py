"""The catalogue's messages: records, items and branches, MARC import, and the search index."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    # --- catalogue ---
    "catalogue.record_not_found": message(
        404,
        "书目记录 {record_id} 不存在。",
        "서지 레코드 {record_id}이(가) 없습니다.",
        "Bibliographic record {record_id} does not exist.",
    ),
    "catalogue.item_not_found": message(
        404,
        "条码为 {barcode} 的册不存在。",
        "등록번호 {barcode}인 자료가 없습니다.",
        "There is no item with barcode {barcode}.",
    ),
    "catalogue.branch_not_found": message(
        404,
        "馆点 {branch} 不存在。",
        "도서관 지점 {branch}이(가) 없습니다.",
        "There is no branch with code {branch}.",
    ),
    "catalogue.location_invalid": message(
        422,
        "位置代码“{location}”须为 1–32 个字母、数字、- 或 _，名称不能为空，类型须为：{kinds}。",
        "위치 코드 '{location}'는 영문자·숫자·-·_ 1–32자여야 하고, 이름이 있어야 하며, 유형은 다음 중 하나여야 합니다: {kinds}.",
        "Location code '{location}' must be 1-32 letters, digits, - or _, the name must not be empty, and the kind one of: {kinds}.",
    ),
    "catalogue.barcode_taken": message(
        409,
        "条码 {barcode} 已被另一册使用。",
        "등록번호 {barcode}은(는) 이미 다른 자료에 쓰이고 있습니다.",
        "Barcode {barcode} is already used by another item.",
    ),
    "catalogue.copy_target_unknown": message(
        404,
        "没有名为“{target}”的联合编目检索目标（见设置 copy_cataloguing_targets）。",
        "'{target}'(이)라는 복사 목록 대상이 없습니다(설정 copy_cataloguing_targets 참고).",
        "There is no copy cataloguing target '{target}' (see the setting copy_cataloguing_targets).",
    ),
    "catalogue.copy_query_empty": message(
        422,
        "请输入题名、著者或 ISBN 再检索。",
        "서명, 저자 또는 ISBN을 입력한 뒤 검색하세요.",
        "Type a title, an author or an ISBN to search.",
    ),
    "catalogue.copy_remote_failed": message(
        502,
        "{target} 未能答复检索：{reason}。稍后再试，或换一个目标。",
        "{target}이(가) 검색에 답하지 못했습니다: {reason}. 잠시 후 다시 하거나 다른 대상을 고르세요.",
        "{target} could not answer the search: {reason}. Try again later, or another target.",
    ),
    "catalogue.copy_record_gone": message(
        404,
        "远程检索结果中已没有第 {position} 条记录，请重新检索。",
        "원격 검색 결과에 {position}번째 레코드가 더 이상 없습니다. 다시 검색하세요.",
        "Record {position} is no longer in the remote search's results; search again.",
    ),
    "catalogue.copy_record_unusable": message(
        422,
        "这条记录无法保存：{reason}",
        "이 레코드는 저장할 수 없습니다: {reason}",
        "This record cannot be saved: {reason}",
    ),
    "catalogue.import_not_found": message(
        404,
        "没有编号为 {staging} 的导入。",
        "번호 {staging}인 가져오기가 없습니다.",
        "There is no import {staging}.",
    ),
    "catalogue.import_not_staged": message(
        409,
        "导入 {staging} 已应用或已放弃，不能再批准。",
        "가져오기 {staging}은(는) 이미 적용되었거나 버려져 다시 승인할 수 없습니다.",
        "Import {staging} is already applied or discarded; it cannot be approved again.",
    ),
    "catalogue.import_not_applied": message(
        409,
        "导入 {staging} 尚未应用或已撤销，无可撤销。",
        "가져오기 {staging}은(는) 적용되지 않았거나 이미 되돌려 되돌릴 것이 없습니다.",
        "Import {staging} is not applied, or already undone: there is nothing to undo.",
    ),
    "catalogue.import_undo_expired": message(
        409,
        "导入 {staging} 的撤销期限已过。",
        "가져오기 {staging}을(를) 되돌릴 수 있는 기간이 지났습니다.",
        "The time to undo import {staging} has passed.",
    ),
    "catalogue.import_undo_blocked": message(
        409,
        "这次导入添加的 {items} 册已被借出、预约或在途，不能撤销。",
        "이 가져오기로 추가한 자료 {items}건이 대출·예약·운송 중이라 되돌릴 수 없습니다.",
        "{items} copies this import added have been lent, held or sent since; it cannot be undone.",
    ),
    "catalogue.merge_into_self": message(
        422,
        "不能把记录合并到它自己。",
        "레코드를 자기 자신에게 병합할 수 없습니다.",
        "A record cannot be merged into itself.",
    ),
    "catalogue.record_not_active": message(
        409,
        "书目记录 {record_id} 已{state}，不能再修改。",
        "서지 레코드 {record_id}은(는) 이미 {state} 상태여서 수정할 수 없습니다.",
        "Bibliographic record {record_id} is {state} and can no longer be changed.",
    ),
    "catalogue.marc_invalid": message(
        422,
        "记录有 {count} 处错误，未保存；请按字段旁的提示修改。",
        "레코드에 오류가 {count}곳 있어 저장하지 않았습니다. 필드 옆의 안내대로 고치십시오.",
        "The record has {count} error(s) and was not saved; correct them as shown beside the fields.",
    ),
    "catalogue.record_changed": message(
        409,
        "书目记录 {record_id} 在您打开后已被他人保存（现为第 {version} 版）；您的修改未保存，请重新打开记录再改。",
        "서지 레코드 {record_id}은(는) 연 뒤에 다른 사람이 저장했습니다(현재 버전 {version}). 수정한 내용은 저장하지 않았으니 레코드를 다시 열어 고치십시오.",
        "Someone saved record {record_id} after you opened it (it is now version {version}); your changes were not saved: open the record again and redo them.",
    ),
    "catalogue.location_elsewhere": message(
        422,
        "册 {barcode} 所属馆点没有位置“{location}”。",
        "자료 {barcode}의 소속 도서관에는 '{location}' 위치가 없습니다.",
        "The branch of item {barcode} has no location '{location}'.",
    ),
    "catalogue.item_type_invalid": message(
        422,
        "册类型“{item_type}”须为 1–32 个小写字母、数字、- 或 _。",
        "자료 유형 '{item_type}'은(는) 영소문자·숫자·-·_ 1–32자여야 합니다.",
        "The item type '{item_type}' must be 1-32 lower-case letters, digits, - or _.",
    ),
    "catalogue.bulk_size": message(
        422,
        "请选择 1 到 {most} 册。",
        "자료를 1권에서 {most}권까지 고르십시오.",
        "Choose between 1 and {most} items.",
    ),
    "catalogue.version_not_found": message(
        404,
        "书目记录 {record_id} 没有第 {version} 版。",
        "서지 레코드 {record_id}에는 버전 {version}이(가) 없습니다.",
        "Record {record_id} has no version {version}.",
    ),
    "catalogue.lifecycle_transition": message(
        409,
        "册 {barcode} 不能从“{current}”改为“{target}”。",
        "자료 {barcode}의 상태를 '{current}'에서 '{target}'(으)로 바꿀 수 없습니다.",
        "Item {barcode} cannot go from '{current}' to '{target}'.",
    ),
    # --- MARC import ---
    "marc.unreadable_file": message(
        422,
        "无法读取文件 {path}：{reason}",
        "파일 {path}을(를) 읽을 수 없습니다: {reason}",
        "The file {path} cannot be read: {reason}",
    ),
    "marc.unknown_format": message(
        422,
        "无法识别 {path} 的格式；请用 --format 指定 iso2709、marcxml 或 marcjson。",
        "{path}의 형식을 알 수 없습니다. --format으로 iso2709, marcxml, marcjson 중 하나를 지정하십시오.",
        "Cannot tell the format of {path}; name it with --format iso2709, marcxml or marcjson.",
    ),
    # --- search ---
    "search.index_building": message(
        503,
        "检索索引正在建立（已完成 {done}/{total} 条记录），请约 {retry_after} 秒后再试。",
        "검색 색인을 만드는 중입니다({total}건 중 {done}건 완료). 약 {retry_after}초 뒤에 다시 시도하십시오.",
        "The search index is being built ({done} of {total} records done); "
        "try again in about {retry_after} seconds.",
    ),
    "search.unknown_facet": message(
        422,
        "没有名为 {facet} 的分面；可用的分面：{known}。",
        "{facet}(이)라는 패싯은 없습니다. 사용할 수 있는 패싯: {known}.",
        "There is no facet named {facet}; the facets are: {known}.",
    ),
}
