"""Judged queries over ``relevance_catalogue.BOOKS``: what must be in the top 10, and what must be first.

``J(query, language, wanted, first)``: ``wanted`` are catalogue keys that must be
in the top 10; ``first`` (optional) must be the top hit.  ``suggest`` is the
"did you mean" a no-match query must offer.  Section 4.3 of the language
specification is covered row by row (marked ``# 4.3``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class J:
    q: str
    lang: str  # zh | ko | en: whose readers the query serves (for the per-language report)
    wanted: tuple[str, ...]
    first: str | None = None
    suggest: str | None = None
    absent: tuple[str, ...] = ()  # must NOT be in the top 10


def j(q: str, lang: str, *wanted: str, first: str | None = None, **kw: object) -> J:
    return J(q, lang, tuple(wanted), first, **kw)  # type: ignore[arg-type]


JUDGEMENTS: tuple[J, ...] = (
    # --- 4.3 worked examples -------------------------------------------------------------
    j("역사", "ko", "ko_joseonjok_ryeoksa", "ko_hanguk_yeoksa", "ko_yeoksa"),  # 4.3 K2
    j("력사", "ko", "ko_hanguk_yeoksa", "ko_joseonjok_ryeoksa"),  # 4.3 K2
    j("노동", "ko", "ko_rodong_sinmun", "ko_rodong_beop"),  # 4.3 K2
    j("여자", "ko", "ko_nyeoja", first="ko_nyeoja"),  # 4.3 K2
    j("이론", "ko", "ko_riron", first="ko_riron"),  # 4.3 K2
    j("용정", "ko", "ko_ryongjeong", first="ko_ryongjeong"),  # 4.3 K2
    j("author:이광인", "ko", "ko_rigwangin", first="ko_rigwangin"),  # 4.3 K2 (author)
    j("이광인", "ko", "ko_rigwangin", first="ko_rigwangin"),
    j("비율", "ko", "ko_biryul", first="ko_biryul"),  # 4.3 K3
    j("신여성", "ko", "ko_sinnyeoseong", first="ko_sinnyeoseong"),  # 4.3 K3
    j("조선족", "ko", "ko_hanja_minsok", "ko_joseonjok_ryeoksa", "ko_ryongjeong"),  # 4.3 K1
    j("朝鲜族", "zh", "ko_hanja_minsok", "zh_chaoxianzu"),  # 4.3 Z1
    j("ㅇㅅ", "ko", "ko_yeoksa"),  # 4.3 K5 초성
    j("역ㅅ", "ko", "ko_yeoksa_textbook", "ko_yeoksa"),  # 4.3 K5 jamo prefix
    j("lishi", "zh", "zh_lishi_yanjiu"),  # 4.3 Z4
    j("ls", "zh", "zh_lishi_yanjiu"),  # 4.3 Z4 initials
    j("lsyj", "zh", "zh_lishi_yanjiu", first="zh_lishi_yanjiu"),  # 4.3 Z4 whole initials
    j("歷史", "zh", "zh_lishi_yanjiu", "zh_ditu"),  # 4.3 Z1
    j("历史", "zh", "zh_ditu", "zh_lishi_yanjiu"),  # 4.3 Z1
    j("徵調", "zh", "zh_zhengdiao", first="zh_zhengdiao"),  # 4.3 Z2
    j("zengguofan", "zh", "zh_zengguofan", first="zh_zengguofan"),  # 4.3 Z5
    j("Ｐｙｔｈｏｎ", "en", "zh_python", "en_python"),  # 4.3 B1
    j("Müller", "en", "en_muller", first="en_muller"),  # 4.3 B3
    j("dostoevsky", "en", suggest="dostoyevsky"),  # 4.3 no match → did you mean
    j("뉴스", "ko", "ko_news", first="ko_news"),  # 4.3 K2 false positive may stay, ranked low
    j("경력", "ko", "ko_gyeongryeok", first="ko_gyeongryeok"),  # 4.3 K3 false positive ranked low
    # --- Chinese: keywords, traditional ↔ simplified, pinyin, authors -----------------
    j("红楼梦", "zh", "zh_honglou", "zh_honglou_trad", first="zh_honglou"),
    j("紅樓夢", "zh", "zh_honglou_trad", "zh_honglou"),
    j("hongloumeng", "zh", "zh_honglou", "zh_honglou_trad"),
    j("hlm", "zh", "zh_honglou"),
    j("曹雪芹", "zh", "zh_honglou", "zh_honglou_trad"),
    j("caoxueqin", "zh", "zh_honglou"),
    j("三国演义", "zh", "zh_sanguo", first="zh_sanguo"),
    j("三國演義", "zh", "zh_sanguo", first="zh_sanguo"),
    j("sanguoyanyi", "zh", "zh_sanguo", first="zh_sanguo"),
    j("西游记", "zh", "zh_xiyou", first="zh_xiyou"),
    j("西遊記", "zh", "zh_xiyou", first="zh_xiyou"),
    j("xiyouji", "zh", "zh_xiyou"),
    j("水浒传", "zh", "zh_shuihu", first="zh_shuihu"),
    j("水滸傳", "zh", "zh_shuihu", first="zh_shuihu"),
    j("古典小说", "zh", "zh_honglou", "zh_sanguo", "zh_xiyou", "zh_shuihu"),
    j("鲁迅", "zh", "zh_luxun_nahan", "zh_luxun_panghuang", "zh_toufa"),
    j("魯迅", "zh", "zh_luxun_nahan", "zh_toufa"),
    j("luxun", "zh", "zh_luxun_nahan", "zh_luxun_panghuang"),
    j("author:鲁迅", "zh", "zh_luxun_nahan", "zh_luxun_panghuang", "zh_toufa"),
    j("呐喊", "zh", "zh_luxun_nahan", first="zh_luxun_nahan"),
    j("彷徨", "zh", "zh_luxun_panghuang", first="zh_luxun_panghuang"),
    j("鲁迅全集", "zh", "zh_luxun_nahan"),
    j("图书馆", "zh", "zh_tushuguan"),
    j("圖書館學", "zh", "zh_tushuguan", first="zh_tushuguan"),
    j("tushuguan", "zh", "zh_tushuguan"),
    j("数据库", "zh", "zh_shuju", first="zh_shuju"),
    j("數據庫", "zh", "zh_shuju", first="zh_shuju"),
    j("shujuku", "zh", "zh_shuju"),
    j("计算机网络", "zh", "zh_jisuanji", first="zh_jisuanji"),
    j("計算機網絡", "zh", "zh_jisuanji", first="zh_jisuanji"),
    j("头发", "zh", "zh_toufa", first="zh_toufa"),
    j("钟声", "zh", "zh_zhongsheng", first="zh_zhongsheng"),
    j("乾隆", "zh", "zh_qianlong", first="zh_qianlong"),
    j("干燥", "zh", "zh_ganzao", first="zh_ganzao"),
    j("长白山", "zh", "zh_changbaishan", first="zh_changbaishan"),
    j("長白山", "zh", "zh_changbaishan", first="zh_changbaishan"),
    j("changbaishan", "zh", "zh_changbaishan"),
    j("延边", "zh", "zh_yanbian"),
    j("延邊", "zh", "zh_yanbian"),
    j("朝鮮族", "zh", "zh_chaoxianzu", "ko_hanja_minsok"),
    j("民俗", "zh", "zh_chaoxianzu", "ko_hanja_minsok"),
    j("东北抗日联军", "zh", "zh_dongbei", first="zh_dongbei"),
    j("東北抗日聯軍", "zh", "zh_dongbei", first="zh_dongbei"),
    j("历史研究", "zh", "zh_lishi_yanjiu", "zh_dongbei", first="zh_lishi_yanjiu"),
    j("lishiyanjiu", "zh", "zh_lishi_yanjiu"),
    j("li shi yan jiu", "zh", "zh_lishi_yanjiu"),
    j("中国通史", "zh", "zh_zhongguo_tongshi", first="zh_zhongguo_tongshi"),
    j("中國通史", "zh", "zh_zhongguo_tongshi", first="zh_zhongguo_tongshi"),
    j("中国历史", "zh", "zh_zhongguo_tongshi", "zh_ditu"),
    j("lv", "zh", "zh_lv"),
    j("lvse", "zh", "zh_lv"),
    j("luse", "zh", "zh_lv"),
    j("沈阳", "zh", "zh_shenyang"),
    j("瀋陽", "zh", "zh_shenyang"),
    j("经济学原理", "zh", "zh_jingji", first="zh_jingji"),
    j("經濟學", "zh", "zh_jingji"),
    j("现代汉语词典", "zh", "zh_xiandai", first="zh_xiandai"),
    j("現代漢語詞典", "zh", "zh_xiandai", first="zh_xiandai"),
    j("语文", "zh", "zh_yuwen", first="zh_yuwen"),
    j("建筑史", "zh", "zh_jianzhu"),
    j("梁思成", "zh", "zh_jianzhu", first="zh_jianzhu"),
    j("liangsicheng", "zh", "zh_jianzhu"),
    j("中医", "zh", "zh_yixue"),
    j("海子", "zh", "zh_haizi", first="zh_haizi"),
    j("活着", "zh", "zh_huozhe", first="zh_huozhe"),
    j("余华", "zh", "zh_huozhe", first="zh_huozhe"),
    j("yuhua", "zh", "zh_huozhe"),
    j("三体", "zh", "zh_santi", first="zh_santi"),
    j("三體", "zh", "zh_santi", first="zh_santi"),
    j("刘慈欣", "zh", "zh_santi", first="zh_santi"),
    j("liucixin", "zh", "zh_santi", first="zh_santi"),
    j("lcx", "zh", "zh_santi"),
    j("科幻", "zh", "zh_santi"),
    j("围城", "zh", "zh_weicheng", first="zh_weicheng"),
    j("圍城", "zh", "zh_weicheng", first="zh_weicheng"),
    j("钱钟书", "zh", "zh_weicheng", first="zh_weicheng"),
    j("錢鍾書", "zh", "zh_weicheng"),
    j("单田芳", "zh", "zh_shantianfang", first="zh_shantianfang"),
    j("shantianfang", "zh", "zh_shantianfang", first="zh_shantianfang"),
    j("曾国藩", "zh", "zh_zengguofan", first="zh_zengguofan"),
    j("曾國藩", "zh", "zh_zengguofan", first="zh_zengguofan"),
    j("Python程序设计", "zh", "zh_python", first="zh_python"),
    j("python 程序设计", "zh", "zh_python", first="zh_python"),
    j("程序设计 -python", "zh", absent=("zh_python",)),
    j("小说 人民文学出版社", "zh", "zh_luxun_nahan", "zh_weicheng"),
    j("publisher:作家出版社", "zh", "zh_huozhe", "zh_haizi"),
    j("subject:古典小说", "zh", "zh_honglou", "zh_sanguo"),
    j('"中国历史"', "zh", "zh_zhongguo_tongshi"),
    j("「东北抗日」", "zh", "zh_dongbei", first="zh_dongbei"),
    j("\u201c红楼梦\u201d", "zh", "zh_honglou", first="zh_honglou"),
    j("title:红楼梦", "zh", "zh_honglou", "zh_honglou_trad"),
    j("class:TP311", "zh", "zh_python", "zh_shuju"),
    j("class:K992.6", "zh", "zh_ditu", first="zh_ditu"),
    j("isbn:9787020002207", "zh", "zh_honglou", first="zh_honglou"),
    j("978-7-5366-9293-0", "zh", "zh_santi", first="zh_santi"),
    j("7536692935", "zh", "zh_santi", first="zh_santi"),
    j("7-5366-9293-5", "zh", "zh_santi", first="zh_santi"),
    j("year:1973 鲁迅", "zh", "zh_luxun_nahan", "zh_luxun_panghuang"),
    j("红楼梦 OR 三国演义", "zh", "zh_honglou", "zh_sanguo"),
    j("li4shi3", "zh", "zh_lishi_yanjiu"),
    # --- Korean: more spellings, Hanja, 초성, authors, mixed scripts --------------------
    j("로동", "ko", "ko_rodong_sinmun", "ko_rodong_beop"),
    j("노동법", "ko", "ko_rodong_beop", first="ko_rodong_beop"),
    j("노인 복지", "ko", "ko_noin", first="ko_noin"),
    j("로인", "ko", "ko_noin"),
    j("역사 사전", "ko", "ko_ryeoksa_sajeon", first="ko_ryeoksa_sajeon"),
    j("력사 사전", "ko", "ko_ryeoksa_sajeon", first="ko_ryeoksa_sajeon"),
    j("조선말", "ko", "ko_ryeoksa_sajeon"),
    j("유학생", "ko", "ko_ryuhak", first="ko_ryuhak"),
    j("류학생", "ko", "ko_ryuhak", first="ko_ryuhak"),
    j("류동수", "ko", "ko_ryuhak"),
    j("유동수", "ko", "ko_ryuhak"),
    j("연변 문학", "ko", "ko_yeonbyeon_munhak", first="ko_yeonbyeon_munhak"),
    j("김학철", "ko", "ko_yeonbyeon_munhak", first="ko_yeonbyeon_munhak"),
    j("중국조선족문학대계", "ko", "ko_yeonbyeon_munhak"),
    j("한글", "ko", "ko_hangeul"),
    j("한글의 탄생", "ko", "ko_hangeul", first="ko_hangeul"),
    j("김치", "ko", "ko_gimchi", first="ko_gimchi"),
    j("서울", "ko", "ko_seoul"),
    j("근대 건축", "ko", "ko_seoul", first="ko_seoul"),
    j("한국 역사", "ko", "ko_hanguk_yeoksa", "ko_hanja_history"),
    j("한국", "ko", "ko_hanguk_yeoksa", "ko_hanja_history"),
    j("지도", "ko", "ko_hanja_history"),
    j("도서관", "ko", "ko_doseogwan", first="ko_doseogwan"),
    j("ㄷㅅㄱ", "ko", "ko_doseogwan"),
    j("도서ㄱ", "ko", "ko_doseogwan"),
    j("교과서", "ko", "ko_yeoksa_textbook", first="ko_yeoksa_textbook"),
    j("역사 교과서", "ko", "ko_yeoksa_textbook", first="ko_yeoksa_textbook"),
    j("소설", "ko", "ko_sosol"),
    j("이문구", "ko", "ko_sosol", first="ko_sosol"),
    j("문화", "ko", "ko_joseonjok_ryeoksa"),
    j("조선족 력사", "ko", "ko_joseonjok_ryeoksa", first="ko_joseonjok_ryeoksa"),
    j("조선족 역사", "ko", "ko_joseonjok_ryeoksa", first="ko_joseonjok_ryeoksa"),
    j('"력사와 문화"', "ko", "ko_joseonjok_ryeoksa", first="ko_joseonjok_ryeoksa"),
    j("리론", "ko", "ko_riron", first="ko_riron"),
    j("녀성", "ko", "ko_sinnyeoseong"),
    j("여성 운동", "ko", "ko_sinnyeoseong"),
    j("인구 통계", "ko", "ko_biryul", first="ko_biryul"),
    j("가정", "ko", "ko_nyeoja"),
    j("title:로동신문", "ko", "ko_rodong_sinmun", first="ko_rodong_sinmun"),
    j("isbn:978-89-7765-432-7", "ko", "ko_doseogwan", first="ko_doseogwan"),
    j("9788977654327", "ko", "ko_doseogwan", first="ko_doseogwan"),
    j("lang:ko 역사", "ko", "ko_hanguk_yeoksa", "ko_yeoksa"),
    j("역사 -교과서", "ko", "ko_yeoksa", absent=("ko_yeoksa_textbook",)),
    j("룡정", "ko", "ko_ryongjeong", first="ko_ryongjeong"),
    j("韓國 歷史", "ko", "ko_hanja_history", first="ko_hanja_history"),
    j("한국 역사 지도", "ko", "ko_hanja_history"),
    # --- English: stemming, phrases, fields, ISBN-10/13, misspellings ------------------
    j("history", "en", "en_history_east_asia", "en_korea", "en_china", "en_crime"),
    j("histories", "en", "en_history_east_asia", "en_korea"),
    j("library", "en", "en_library_science"),
    j("libraries", "en", "en_libraries", "en_library_science"),
    j("database", "en", "en_databases", first="en_databases"),
    j("databases", "en", "en_databases"),
    j("computer networks", "en", "en_networks", first="en_networks"),
    j("computer network", "en", "en_networks", first="en_networks"),
    j("learning python", "en", "en_python", "en_python_ed2"),
    j("python", "en", "en_python", "zh_python"),
    j("pyth*", "en", "en_python", "zh_python"),
    j("lutz", "en", "en_python", first="en_python"),
    j("author:lutz", "en", "en_python"),
    j("korea", "en", "en_korea", "en_stories"),
    j("korean", "en", "en_migration"),
    j("china history", "en", "en_china"),
    j("fairbank", "en", "en_china", first="en_china"),
    j("0674018281", "en", "en_china", first="en_china"),
    j("0-674-01828-1", "en", "en_china", first="en_china"),
    j("9780674018280", "en", "en_china", first="en_china"),
    j("isbn:0131873253", "en", "en_databases", first="en_databases"),
    j("9780131873254", "en", "en_databases", first="en_databases"),
    j("978-0-14-044913-6", "en", "en_dostoyevsky", first="en_dostoyevsky"),
    j("children's stories", "en", "en_stories", first="en_stories"),
    j("children story", "en", "en_stories", first="en_stories"),
    j("running", "en", "en_running", first="en_running"),
    j("war and peace", "en", "en_war_peace", first="en_war_peace"),
    j('"war and peace"', "en", "en_war_peace", first="en_war_peace"),
    j("peace -war", "en", "en_peace", absent=("en_war_peace",)),
    j("war OR crime", "en", "en_war_peace", "en_crime", "en_dostoyevsky"),
    j("crime and punishment", "en", "en_dostoyevsky", "en_crime"),
    j("dostoyevsky", "en", "en_dostoyevsky", first="en_dostoyevsky"),
    j("tolstoy", "en", "en_war_peace", first="en_war_peace"),
    j("tolstoi", "en", suggest="tolstoy"),
    j("librery", "en", suggest="library"),
    j("histroy", "en", suggest="history"),
    j("gardener", "en", "en_gardening"),
    j("gardeners", "en", "en_gardening"),
    j("boxes", "en", "en_boxes"),
    j("church", "en", "en_boxes"),
    j("families", "en", "en_families"),
    j("family", "en", "en_families"),
    j("chinese cooking", "en", "en_chinese_cooking", first="en_chinese_cooking"),
    j("cooking", "en", "en_chinese_cooking"),
    j("northeast china", "en", "en_cities", first="en_cities"),
    j("manchuria", "en", "en_migration", first="en_migration"),
    j("title:history", "en", "en_history_east_asia", "en_korea"),
    j("subject:russian fiction", "en", "en_war_peace", "en_dostoyevsky"),
    j("publisher:pearson", "en", "en_databases", "en_networks"),
    j("year:2008", "en", "en_databases", "en_war_peace"),
    j("lang:en python", "en", "en_python", absent=("zh_python",)),
    j("muller", "en", "en_muller", first="en_muller"),
    j("MÜLLER thomas", "en", "en_muller", first="en_muller"),
    j("philosophy", "en", "en_stem"),
    j("east asia", "en", "en_history_east_asia", first="en_history_east_asia"),
    j("class:020", "en", "en_library_science"),
    j("public libraries", "en", "en_libraries", first="en_libraries"),
)
