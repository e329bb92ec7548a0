"""Digital objects' refusals (issue 17): ingest of bad files, access rules, IIIF requests."""

from __future__ import annotations

from shelfwise.core.messages.template import MessageTemplate, message

MESSAGES: dict[str, MessageTemplate] = {
    "media.too_large": message(
        413,
        "文件超过 {limit} 的上限，未保存任何内容。",
        "파일이 상한 {limit}을(를) 넘어 아무것도 저장하지 않았습니다.",
        "The file is larger than the {limit} limit; nothing was stored.",
    ),
    "media.unknown_type": message(
        415,
        "无法识别“{name}”的文件类型：只接受 JPEG、PNG、TIFF、WebP、GIF 图像，PDF，MP3、M4A、Ogg、WAV、FLAC 音频和 MP4、WebM 视频。",
        "'{name}'의 파일 형식을 알 수 없습니다. JPEG, PNG, TIFF, WebP, GIF 이미지, PDF, MP3, M4A, Ogg, WAV, FLAC 오디오, MP4, WebM 동영상만 받습니다.",
        "The type of '{name}' is not recognised: JPEG, PNG, TIFF, WebP and GIF images, PDF, MP3, M4A, Ogg, WAV and FLAC audio and MP4 and WebM video are accepted.",
    ),
    "media.not_image": message(
        415,
        "“{name}”的名字像 {claimed} 图像，但内容不是图像。",
        "'{name}'은(는) 이름은 {claimed} 이미지이지만 내용은 이미지가 아닙니다.",
        "'{name}' is named like a {claimed} image, but its content is not an image.",
    ),
    "media.svg": message(
        415,
        "不接受 SVG 文件：它可以携带脚本。请上传 PNG 或 JPEG。",
        "SVG 파일은 받지 않습니다. 스크립트를 담을 수 있기 때문입니다. PNG나 JPEG를 올리십시오.",
        "SVG files are not accepted: they can carry script. Upload a PNG or JPEG instead.",
    ),
    "media.pdf_script": message(
        415,
        "此 PDF 含有 JavaScript（{where}），不予保存。请去掉脚本后再上传。",
        "이 PDF에는 JavaScript({where})가 있어 저장하지 않습니다. 스크립트를 없앤 뒤 다시 올리십시오.",
        "This PDF contains JavaScript ({where}) and was not stored; remove the script and upload it again.",
    ),
    "media.bomb": message(
        422,
        "图像声明有 {pixels} 像素，超过上限 {limit}（可能是解压炸弹），未解码也未保存。",
        "이미지가 {pixels} 픽셀이라고 선언해 상한 {limit}을(를) 넘습니다(압축 폭탄일 수 있음). 디코딩하지도 저장하지도 않았습니다.",
        "The image declares {pixels} pixels, over the {limit} limit (a possible decompression bomb); it was neither decoded nor stored.",
    ),
    "media.bad_name": message(
        422,
        "文件名“{name}”不可用：文件名不能含路径、控制字符，且不超过 200 个字符。",
        "파일 이름 '{name}'은(는) 쓸 수 없습니다. 경로나 제어 문자를 넣을 수 없고 200자를 넘을 수 없습니다.",
        "The file name '{name}' cannot be used: no path, no control characters, at most 200 characters.",
    ),
    "media.codec": message(
        415,
        "视频或音频编码 {codec} 不是浏览器能播放的编码（接受 H.264、AV1、VP8、VP9 视频和 AAC、Opus、Vorbis、MP3 音频）。",
        "동영상·오디오 코덱 {codec}은(는) 브라우저가 재생할 수 없습니다(H.264, AV1, VP8, VP9 동영상과 AAC, Opus, Vorbis, MP3 오디오를 받습니다).",
        "The codec {codec} is not one browsers play (H.264, AV1, VP8 and VP9 video, AAC, Opus, Vorbis and MP3 audio are accepted).",
    ),
    "media.broken": message(
        422,
        "文件已损坏或无法读取（{detail}），未保存。",
        "파일이 손상되었거나 읽을 수 없어({detail}) 저장하지 않았습니다.",
        "The file is damaged or cannot be read ({detail}); nothing was stored.",
    ),
    "media.invalid": message(
        422,
        "数字对象的信息有误：{detail}",
        "디지털 객체 정보가 잘못되었습니다: {detail}",
        "The digital object's details are wrong: {detail}",
    ),
    "media.no_file": message(
        422,
        "请选择要上传的文件。",
        "올릴 파일을 고르십시오.",
        "Choose a file to upload.",
    ),
    "media.bad_rights": message(
        422,
        "权利声明必须是 rightsstatements.org 或 creativecommons.org 的网址。",
        "권리 표시는 rightsstatements.org 또는 creativecommons.org 주소여야 합니다.",
        "The rights statement must be a rightsstatements.org or creativecommons.org URI.",
    ),
    "media.onsite_branch": message(
        422,
        "“仅限馆内”必须指定一个分馆。",
        "'관내 전용'에는 도서관을 하나 정해야 합니다.",
        "On-site access must name a branch.",
    ),
    "media.not_found": message(
        404,
        "没有这个数字对象。",
        "그런 디지털 객체가 없습니다.",
        "There is no such digital object.",
    ),
    "media.sign_in": message(
        401,
        "登录后才能查看此对象。",
        "이 객체는 로그인한 뒤에 볼 수 있습니다.",
        "Sign in to see this object.",
    ),
    "media.on_site": message(
        403,
        "此对象只能在 {branch} 馆内的网络上查看。",
        "이 객체는 {branch} 도서관 안의 네트워크에서만 볼 수 있습니다.",
        "This object can be seen only on the network inside {branch}.",
    ),
    "media.staff_only": message(
        403,
        "此对象仅限馆员查看。",
        "이 객체는 직원만 볼 수 있습니다.",
        "Only library staff may see this object.",
    ),
    "media.damaged": message(
        500,
        "存储的文件校验失败，已停止提供；请通知馆员（shelfwise verify-media）。",
        "저장된 파일의 체크섬이 맞지 않아 제공을 멈췄습니다. 직원에게 알려 주십시오(shelfwise verify-media).",
        "The stored file failed its checksum and is not served; tell the staff (shelfwise verify-media).",
    ),
    "iiif.bad_request": message(
        400,
        "IIIF 请求无效：{detail}",
        "IIIF 요청이 잘못되었습니다: {detail}",
        "The IIIF request is not valid: {detail}",
    ),
}
