"""The fixed test catalogue of the relevance suite, written for it (records built in code).

Each record: key, language (MARC 008/35-37), title, other title, authors (first
is the main author), publisher, year, subjects, series, ISBN, class number.
Keys are what the judged queries name; record ids are assigned at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record


@dataclass(frozen=True, slots=True)
class Book:
    key: str
    lang: str
    title: str
    authors: tuple[str, ...] = ()
    publisher: str = ""
    year: int = 2010
    subjects: tuple[str, ...] = ()
    series: str = ""
    isbn: str = ""
    klass: str = ""
    other: str = ""
    branches: tuple[str, ...] = ("CEN",)
    extra: dict[str, str] = field(default_factory=dict)


B = Book
BOOKS: tuple[Book, ...] = (
    # --- specification 4.3, Korean -------------------------------------------------------
    B(
        "ko_joseonjok_ryeoksa",
        "kor",
        "조선족 력사와 문화",
        ("김철수",),
        "연변인민출판사",
        2005,
        ("조선족",),
        isbn="9787806481234",
    ),
    B(
        "ko_hanguk_yeoksa",
        "kor",
        "한국 역사의 이해",
        ("박영호",),
        "서울대학교출판부",
        2012,
        ("한국사",),
        isbn="9788952112345",
    ),
    B("ko_rodong_sinmun", "kor", "로동신문 론설집", ("편집부",), "평양출판사", 1998, ("정치",)),
    B("ko_nyeoja", "kor", "녀자와 가정", ("최순희",), "연변교육출판사", 2001, ("가정",)),
    B("ko_riron", "kor", "리론과 실천", ("정명수",), "민족출판사", 1995, ("철학",)),
    B(
        "ko_ryongjeong",
        "kor",
        "룡정 조선족 이야기",
        ("한정일",),
        "연변인민출판사",
        2009,
        ("룡정시",),
    ),
    B("ko_rigwangin", "kor", "리광인 문집", ("리광인",), "민족출판사", 2003, ("문학",)),
    B("ko_biryul", "kor", "인구 비률 통계", ("통계국",), "연변인민출판사", 2011, ("인구",)),
    B("ko_sinnyeoseong", "kor", "신녀성 운동사", ("안미경",), "민족출판사", 2007, ("녀성운동",)),
    B("ko_hanja_minsok", "kor", "朝鮮族 民俗", ("金東學",), "민속원", 1990, ("민속",)),
    B("ko_yeoksa", "kor", "역사", ("이정민",), "창비", 2015, ("역사",)),
    B("ko_yeoksa_textbook", "kor", "역사 교과서", ("교육부",), "천재교육", 2020, ("교과서",)),
    B("ko_youth_hostel", "kor", "유스호스텔 안내", ("관광공사",), "관광공사", 2013, ("여행",)),
    B("ko_news", "kor", "뉴스의 시대", ("정혜진",), "한겨레출판", 2018, ("언론",)),
    B("ko_gyeongyeok", "kor", "경역 분쟁", ("서동훈",), "법문사", 2008, ("국경",)),
    B("ko_gyeongryeok", "kor", "경력 관리의 기술", ("윤태호",), "한빛비즈", 2019, ("경력",)),
    B(
        "ko_doseogwan",
        "kor",
        "도서관 이야기",
        ("송은주",),
        "한국도서관협회",
        2016,
        ("도서관",),
        isbn="9788977654327",
    ),
    B("ko_rodong_beop", "kor", "로동법 해설", ("김명호",), "법률출판사", 2004, ("로동",)),
    B("ko_noin", "kor", "로인 복지 연구", ("박정희",), "연변대학출판사", 2010, ("로인",)),
    B(
        "ko_ryeoksa_sajeon",
        "kor",
        "조선말 력사 사전",
        ("사전편찬실",),
        "민족출판사",
        2014,
        ("사전",),
    ),
    B(
        "ko_yeonbyeon_munhak",
        "kor",
        "연변 문학 선집",
        ("김학철",),
        "연변인민출판사",
        1999,
        ("조선족 문학",),
        series="중국조선족문학대계",
    ),
    B("ko_hangeul", "kor", "한글의 탄생", ("노마 히데키",), "돌베개", 2011, ("한글",)),
    B("ko_gimchi", "kor", "김치 요리 백과", ("한복려",), "궁중음식연구원", 2017, ("요리",)),
    B("ko_seoul", "kor", "서울의 근대 건축", ("안창모",), "서울역사박물관", 2013, ("건축",)),
    B("ko_hanja_history", "kor", "韓國 歷史 地圖", ("崔英俊",), "일지사", 1985, ("지도",)),
    B("ko_ryuhak", "kor", "류학생 수기", ("류동수",), "연변교육출판사", 2006, ("류학",)),
    B("ko_sosol", "kor", "소설 창작 교실", ("이문구",), "문학동네", 2009, ("소설",)),
    # --- Chinese -----------------------------------------------------------------------------
    B(
        "zh_lishi_yanjiu",
        "chi",
        "历史研究",
        ("汤因比",),
        "上海人民出版社",
        1997,
        ("世界史",),
        isbn="9787208012345",
        klass="K107",
    ),
    B(
        "zh_ditu",
        "chi",
        "中國歷史地圖集",
        ("谭其骧",),
        "中國地圖出版社",
        1982,
        ("历史地图",),
        isbn="9787503100123",
        klass="K992.6",
    ),
    B("zh_zhengdiao", "chi", "朝鲜半岛：征调", ("王建国",), "延边大学出版社", 2004, ("朝鲜",)),
    B(
        "zh_zengguofan",
        "chi",
        "曾国藩家书",
        ("曾国藩",),
        "岳麓书社",
        2002,
        ("家书",),
        isbn="9787805205555",
    ),
    B("zh_shantianfang", "chi", "单田芳评书", ("单田芳",), "中国文联出版社", 2008, ("评书",)),
    B(
        "zh_python",
        "chi",
        "Python程序设计入门",
        ("李刚",),
        "清华大学出版社",
        2019,
        ("程序设计",),
        isbn="9787302512345",
        klass="TP311.561",
    ),
    B(
        "zh_luxun_nahan",
        "chi",
        "呐喊",
        ("鲁迅",),
        "人民文学出版社",
        1973,
        ("小说",),
        series="鲁迅全集",
    ),
    B("zh_luxun_panghuang", "chi", "彷徨", ("鲁迅",), "人民文学出版社", 1973, ("小说",)),
    B(
        "zh_honglou",
        "chi",
        "红楼梦",
        ("曹雪芹",),
        "人民文学出版社",
        1996,
        ("古典小说",),
        isbn="9787020002207",
        klass="I242.4",
    ),
    B("zh_honglou_trad", "chi", "紅樓夢", ("曹雪芹",), "聯經出版", 2004, ("古典小說",)),
    B("zh_sanguo", "chi", "三国演义", ("罗贯中",), "人民文学出版社", 1998, ("古典小说",)),
    B("zh_xiyou", "chi", "西游记", ("吴承恩",), "人民文学出版社", 1980, ("古典小说",)),
    B("zh_shuihu", "chi", "水浒传", ("施耐庵",), "人民文学出版社", 1997, ("古典小说",)),
    B(
        "zh_tushuguan",
        "chi",
        "图书馆学概论",
        ("吴慰慈",),
        "国家图书馆出版社",
        2008,
        ("图书馆学",),
        klass="G250",
    ),
    B(
        "zh_shuju",
        "chi",
        "数据库系统概论",
        ("王珊",),
        "高等教育出版社",
        2014,
        ("数据库",),
        klass="TP311.13",
    ),
    B(
        "zh_jisuanji",
        "chi",
        "计算机网络",
        ("谢希仁",),
        "电子工业出版社",
        2017,
        ("计算机网络",),
        klass="TP393",
    ),
    B("zh_toufa", "chi", "頭髮的故事", ("魯迅",), "聯經出版", 1990, ("散文",)),
    B("zh_zhongsheng", "chi", "鐘聲", ("林海音",), "遠流出版", 1999, ("散文",)),
    B("zh_qianlong", "chi", "乾隆皇帝", ("二月河",), "长江文艺出版社", 2004, ("历史小说",)),
    B("zh_ganzao", "chi", "乾燥气候研究", ("张明",), "气象出版社", 2010, ("气候",)),
    B("zh_changbaishan", "chi", "长白山旅游指南", ("刘伟",), "吉林人民出版社", 2015, ("旅游",)),
    B("zh_yanbian", "chi", "延边朝鲜族自治州概况", ("编写组",), "民族出版社", 2009, ("朝鲜族",)),
    B("zh_chaoxianzu", "chi", "朝鲜族民俗", ("金东学",), "延边人民出版社", 2001, ("民俗",)),
    B(
        "zh_dongbei",
        "chi",
        "东北抗日联军史",
        ("李敏",),
        "中共党史出版社",
        2015,
        ("抗日战争",),
        other="歷史研究：東北抗日聯軍",
    ),
    B(
        "zh_zhongguo_tongshi",
        "chi",
        "中国通史",
        ("范文澜",),
        "人民出版社",
        1994,
        ("中国历史",),
        series="中国历史丛书",
    ),
    B("zh_lv", "chi", "绿色生活", ("吕方",), "科学出版社", 2012, ("环境",)),
    B("zh_shenyang", "chi", "沈阳历史文化", ("王强",), "辽宁人民出版社", 2011, ("沈阳",)),
    B(
        "zh_jingji",
        "chi",
        "经济学原理",
        ("曼昆",),
        "北京大学出版社",
        2015,
        ("经济学",),
        isbn="9787301256911",
    ),
    B(
        "zh_xiandai",
        "chi",
        "现代汉语词典",
        ("语言研究所",),
        "商务印书馆",
        2016,
        ("汉语",),
        klass="H164",
    ),
    B("zh_yuwen", "chi", "语文", ("教育部",), "人民教育出版社", 2019, ("教材",)),
    B("zh_jianzhu", "chi", "中国建筑史", ("梁思成",), "百花文艺出版社", 2005, ("建筑",)),
    B("zh_yixue", "chi", "中医基础理论", ("孙广仁",), "中国中医药出版社", 2007, ("中医",)),
    B("zh_haizi", "chi", "海子诗全集", ("海子",), "作家出版社", 2009, ("诗歌",)),
    B(
        "zh_huozhe",
        "chi",
        "活着",
        ("余华",),
        "作家出版社",
        2012,
        ("当代小说",),
        isbn="9787506365437",
    ),
    B(
        "zh_santi",
        "chi",
        "三体",
        ("刘慈欣",),
        "重庆出版社",
        2008,
        ("科幻小说",),
        isbn="9787536692930",
    ),
    B("zh_weicheng", "chi", "围城", ("钱钟书",), "人民文学出版社", 1991, ("小说",)),
    # --- English -------------------------------------------------------------------------
    B("en_muller", "eng", "Muller, Thomas", ("Müller, Thomas",), "Springer", 2001, ("Biography",)),
    B(
        "en_dostoyevsky",
        "eng",
        "Dostoyevsky: Crime and Punishment",
        ("Dostoyevsky, Fyodor",),
        "Penguin",
        2003,
        ("Russian fiction",),
        isbn="9780140449136",
    ),
    B(
        "en_history_east_asia",
        "eng",
        "A history of East Asia",
        ("Holcombe, Charles",),
        "Cambridge University Press",
        2011,
        ("East Asia -- History",),
        isbn="9780521731645",
    ),
    B(
        "en_libraries",
        "eng",
        "Libraries and the public",
        ("Smith, Anna",),
        "ALA Editions",
        2015,
        ("Public libraries",),
    ),
    B(
        "en_library_science",
        "eng",
        "Introduction to library science",
        ("Rubin, Richard",),
        "Neal-Schuman",
        2016,
        ("Library science",),
        klass="020",
    ),
    B(
        "en_databases",
        "eng",
        "Database systems: the complete book",
        ("Garcia-Molina, Hector",),
        "Pearson",
        2008,
        ("Database management",),
        isbn="0131873253",
    ),
    B(
        "en_networks",
        "eng",
        "Computer networks",
        ("Tanenbaum, Andrew",),
        "Pearson",
        2010,
        ("Computer networks",),
        isbn="9780132126953",
    ),
    B(
        "en_python",
        "eng",
        "Learning Python",
        ("Lutz, Mark",),
        "O'Reilly",
        2013,
        ("Python (Computer program language)",),
        isbn="9781449355739",
    ),
    B(
        "en_korea",
        "eng",
        "Korea: a history",
        ("Seth, Michael",),
        "Rowman",
        2010,
        ("Korea -- History",),
    ),
    B(
        "en_china",
        "eng",
        "China: a new history",
        ("Fairbank, John King",),
        "Belknap",
        2006,
        ("China -- History",),
        isbn="0674018281",
    ),
    B(
        "en_stories",
        "eng",
        "Children's stories from Korea",
        ("Park, Jane",),
        "Tuttle",
        2009,
        ("Folk tales",),
    ),
    B(
        "en_running",
        "eng",
        "Running for beginners",
        ("Jones, Mary",),
        "Human Kinetics",
        2014,
        ("Running",),
    ),
    B(
        "en_cities",
        "eng",
        "Cities of northeast China",
        ("Li, Wei",),
        "Routledge",
        2018,
        ("Cities and towns -- China",),
    ),
    B(
        "en_crime",
        "eng",
        "Crime and punishment in history",
        ("Walker, Sam",),
        "Oxford",
        1999,
        ("Criminal justice -- History",),
    ),
    B(
        "en_war_peace",
        "eng",
        "War and peace",
        ("Tolstoy, Leo",),
        "Vintage",
        2008,
        ("Russian fiction",),
        isbn="9781400079988",
    ),
    B("en_peace", "eng", "Peace studies", ("Barash, David",), "Oxford", 2013, ("Peace",)),
    B(
        "en_gardening",
        "eng",
        "The gardener's year",
        ("Capek, Karel",),
        "Modern Library",
        2002,
        ("Gardening",),
    ),
    B(
        "en_boxes",
        "eng",
        "Boxes and churches of old Europe",
        ("Lee, Tom",),
        "Thames",
        1995,
        ("Architecture",),
    ),
    B(
        "en_families",
        "eng",
        "Families in transition",
        ("Green, Ruth",),
        "Sage",
        2004,
        ("Families",),
    ),
    B(
        "en_chinese_cooking",
        "eng",
        "Chinese cooking made simple",
        ("Wong, Ken",),
        "Wiley",
        2012,
        ("Cooking, Chinese",),
    ),
    B(
        "en_python_ed2",
        "eng",
        "Learning Python",
        ("Lutz, Mark",),
        "O'Reilly",
        2009,
        ("Python (Computer program language)",),
        isbn="9780596158064",
    ),
    B(
        "en_migration",
        "eng",
        "Korean migration to Manchuria",
        ("Kim, Ho",),
        "Brill",
        2016,
        ("Koreans -- China",),
    ),
    B("en_stem", "eng", "Studies in philosophy", ("Ng, Ada",), "Routledge", 2000, ("Philosophy",)),
)


def _f008(book: Book) -> str:
    return f"100101s{book.year}    xx            000 0 {book.lang} d"


def to_marc(book: Book, index: int) -> Record:
    fields = [
        Field("001", data=f"REL{index:06d}"),
        Field("003", data="SWREL"),
        Field("008", data=_f008(book)),
    ]
    if book.isbn:
        fields.append(Field("020", "  ", [("a", book.isbn)]))
    if book.klass:
        scheme = "clcn" if not book.klass.isdigit() else ""
        if scheme:
            fields.append(Field("084", "  ", [("a", book.klass), ("2", scheme)]))
        else:
            fields.append(Field("082", "04", [("a", book.klass)]))
    if book.authors:
        fields.append(Field("100", "1 ", [("a", book.authors[0])]))
    fields.append(Field("245", "10", [("a", book.title)]))
    if book.other:
        fields.append(Field("246", "3 ", [("a", book.other)]))
    if book.publisher:
        fields.append(Field("260", "  ", [("b", book.publisher), ("c", str(book.year))]))
    if book.series:
        fields.append(Field("490", "0 ", [("a", book.series)]))
    for subject in book.subjects:
        parts = [p.strip() for p in subject.split("--")]
        subfields = [("a", parts[0])] + [("x", p) for p in parts[1:]]
        fields.append(Field("650", " 0", subfields))
    for author in book.authors[1:]:
        fields.append(Field("700", "1 ", [("a", author)]))
    for n, branch in enumerate(book.branches):
        fields.append(Field("852", "  ", [("b", branch), ("p", f"REL{index:05d}{n}")]))
    return Record("     nam a22        4500", fields)


def write_catalogue(path: Path) -> list[str]:
    """Write the catalogue as UTF-8 ISO 2709; returns the keys in file order."""
    with path.open("wb") as out:
        for index, book in enumerate(BOOKS):
            out.write(encode(to_marc(book, index), encoding="utf-8"))
    return [b.key for b in BOOKS]
