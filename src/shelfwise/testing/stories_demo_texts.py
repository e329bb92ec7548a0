"""The demo stories' texts in Chinese, Korean and English (data only): media named by
picture ("pithead", "village", "monument", "library"), "document" and "audio"; records
as slices [start, end] of the demo's first records (testing/stories_demo.py resolves them)."""

from typing import Any

DEMO_STORIES: dict[str, dict[str, Any]] = {
    "coal-city": {
        "cover": "pithead",
        "tags": ["龙江故事"],
        "home": True,
        "doc": {
            "title": {
                "zh": "煤城百年",
                "ko": "탄광 도시 백 년",
                "en": "A hundred years of the coal city",
            },
            "summary": {
                "zh": "从第一座矿井到今天的鹤岗。",
                "ko": "첫 탄광에서 오늘의 허강까지.",
                "en": "From the first mine to today's Hegang.",
            },
            "sections": [
                {
                    "kind": "text",
                    "text": {
                        "zh": "一九一七年，鹤岗开采第一座煤矿。**矿工**们在井下劳动，城市从此兴起。",
                        "ko": "1917년 허강에서 첫 탄광이 문을 열었습니다. **광부**들의 노동 위에 도시가 섰습니다.",
                        "en": "In 1917 the first mine opened at Hegang. The city grew on the **miners'** work.",
                    },
                },
                {"kind": "media", "media": ["pithead"]},
                {"kind": "media", "media": ["audio"]},
                {
                    "kind": "timeline",
                    "events": [
                        {
                            "when": "1917",
                            "text": {
                                "zh": "第一座煤矿开采",
                                "ko": "첫 탄광 개광",
                                "en": "The first mine opens",
                            },
                        },
                        {
                            "when": "1945",
                            "text": {
                                "zh": "矿区回到人民手中",
                                "ko": "광산이 인민의 손으로",
                                "en": "The mines return to the people",
                            },
                        },
                        {
                            "when": "1956",
                            "text": {
                                "zh": "鹤岗设市",
                                "ko": "허강시 설치",
                                "en": "Hegang becomes a city",
                            },
                        },
                    ],
                },
                {"kind": "media", "media": ["document"]},
                {
                    "kind": "records",
                    "text": {"zh": "馆藏推荐", "ko": "소장 자료", "en": "From the shelves"},
                    "records": [0, 4],
                },
            ],
        },
    },
    "korean-villages": {
        "cover": "village",
        "tags": ["조선족 이야기", "龙江故事"],
        "branch": "NGQ",
        "doc": {
            "title": {
                "zh": "黑龙江的朝鲜族村落",
                "ko": "헤이룽장의 조선족 마을",
                "en": "The Korean villages of Heilongjiang",
            },
            "summary": {
                "zh": "稻田、学校与歌声。",
                "ko": "논과 학교, 그리고 노래.",
                "en": "Rice fields, schools and songs.",
            },
            "sections": [
                {
                    "kind": "text",
                    "text": {
                        "ko": "19세기 말부터 조선 사람들이 강을 건너 이곳에 논을 일구었습니다.",
                        "zh": "十九世纪末，朝鲜族先民渡江而来，在这里开垦稻田。",
                        "en": "From the late nineteenth century Korean settlers crossed the river and opened rice fields here.",
                    },
                },
                {"kind": "media", "media": ["village"]},
                {
                    "kind": "quote",
                    "text": {
                        "ko": "논이 있는 곳에 우리 마을이 있다.",
                        "zh": "哪里有稻田，哪里就有我们的村庄。",
                        "en": "Where there are rice fields, there is our village.",
                    },
                    "cite": "延寿县老人",
                },
                {"kind": "records", "records": [4, 7]},
            ],
        },
    },
    "local-hero": {
        "cover": "monument",
        "tags": ["英雄人物", "红色故事"],
        "home": True,
        "doc": {
            "title": {
                "zh": "山林里的抗联战士",
                "ko": "산림 속의 항일연군 전사",
                "en": "A fighter of the forest resistance",
            },
            "summary": {
                "zh": "东北抗日联军在小兴安岭的故事。",
                "ko": "소싱안링의 동북항일연군 이야기.",
                "en": "The Northeast Anti-Japanese United Army in the Lesser Khingan.",
            },
            "sections": [
                {
                    "kind": "text",
                    "text": {
                        "zh": "冬天零下四十度，战士们在密林中坚持斗争。",
                        "ko": "영하 40도의 겨울에도 전사들은 숲속에서 싸움을 이어 갔습니다.",
                        "en": "At forty below, the fighters held on in the forest.",
                    },
                },
                {"kind": "media", "media": ["monument"]},
                {
                    "kind": "timeline",
                    "events": [
                        {
                            "when": "1936",
                            "text": {
                                "zh": "东北抗日联军成立",
                                "ko": "동북항일연군 결성",
                                "en": "The United Army is formed",
                            },
                        },
                        {
                            "when": "1945",
                            "text": {"zh": "抗战胜利", "ko": "항전 승리", "en": "Victory"},
                        },
                    ],
                },
                {"kind": "records", "records": [7, 9]},
            ],
        },
    },
    "our-library": {
        "cover": "library",
        "tags": ["龙江故事"],
        "doc": {
            "title": {
                "zh": "我们图书馆的故事",
                "ko": "우리 도서관 이야기",
                "en": "The story of our library",
            },
            "summary": {
                "zh": "从一间阅览室到城市的书房。",
                "ko": "열람실 한 칸에서 도시의 서재로.",
                "en": "From one reading room to the city's study.",
            },
            "sections": [
                {
                    "kind": "text",
                    "text": {
                        "zh": "图书馆创建于一九五八年，最初只有一间阅览室。",
                        "ko": "도서관은 1958년 열람실 하나로 시작했습니다.",
                        "en": "The library opened in 1958 with a single reading room.",
                    },
                },
                {"kind": "media", "media": ["library"]},
                {"kind": "records", "records": [9, 12]},
            ],
        },
    },
}
