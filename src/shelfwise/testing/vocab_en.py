"""English word lists for the record generator (MARC 21 records of foreign books).

Template syntax as in ``vocab_zh``: ``{slot}`` draws a word from the slot's list.
Subjects are ``a|x|z`` (topical term, general subdivision, geographic
subdivision), the MARC 21 order of 650.
"""

from __future__ import annotations

SURNAMES = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
    "Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper "
    "Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett "
    "Gray Hughes Price Sanders Myers Long Ross Foster Fischer Schmidt Dubois Rossi"
)
FORENAMES = (
    "James John Robert Michael William David Richard Thomas Charles Daniel Matthew "
    "Mary Patricia Jennifer Linda Elizabeth Susan Sarah Karen Nancy Emily Laura Rachel "
    "Anna Helen Catherine Margaret Peter Andrew Paul Mark Stephen Jonathan Claire Alice"
)
# Scholars of China and Korea writing in English, romanised the usual way.
ASIAN_NAMES = (
    "Zhang, Wei|Li, Xiaoming|Wang, Hui|Chen, Jian|Liu, Yang|Zhao, Lin|Kim, Min-jun|"
    "Lee, Seo-yeon|Park, Ji-hoon|Choi, Eun-ji|Jung, Hyun-woo|Kang, Soo-jin"
)

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "history": {
        "patterns": (
            "A history of {h}",
            "The making of {h}",
            "{h} in the twentieth century",
            "Understanding {h}",
            "The rise and fall of {h}",
            "{h}",
        ),
        "h": (
            "modern China",
            "the Qing empire",
            "the Silk Road",
            "East Asia",
            "the Ming dynasty",
            "the Korean peninsula",
            "the Pacific War",
            "imperial China",
            "the Chinese revolution",
            "Northeast Asia",
        ),
        "subtitles": (
            "a new history",
            "frontiers, empires, and peoples",
            "a very short introduction",
            "1644-1912",
            "from the Opium War to the present",
        ),
        "subjects": (
            "China|History|",
            "China|History|",
            "East Asia|History|",
            "Korea|History|",
            "Silk Road|History|",
            "Sino-Japanese War, 1937-1945||China",
        ),
        "summaries": (
            "A narrative history of {h}, drawing on recent scholarship and archival sources.",
        ),
        "series": ("Oxford history of modern China", "Cambridge studies in Chinese history"),
    },
    "local": {
        "patterns": ("{h}: {s}", "Frontier {h}", "The {h} frontier", "Borderlands of {h}"),
        "h": (
            "Manchuria",
            "Yanbian",
            "the Tumen River",
            "Harbin",
            "Mount Paektu",
            "Heilongjiang",
            "Jilin",
        ),
        "s": (
            "a local history",
            "empire and identity",
            "land, people, and power",
            "a borderland history",
        ),
        "subtitles": ("1860-1945", "migration and settlement"),
        "subjects": (
            "Manchuria (China)|History|",
            "Yanbian Chaoxianzu Zizhizhou (China)|History|",
            "Harbin (China)|History|",
            "Borderlands|History|China",
        ),
        "summaries": (
            "A regional history of {h} and its peoples on the north-east frontier of China.",
        ),
        "series": ("Studies of the Weatherhead East Asian Institute",),
    },
    "ethnic": {
        "patterns": ("{h} in China", "The {h} of Yanbian", "{h}: {s}", "Being {h}"),
        "h": ("Koreans", "Korean Chinese", "the Chosŏnjok", "ethnic Koreans", "Korean diaspora"),
        "s": (
            "ethnicity, migration, and identity",
            "a minority in the borderlands",
            "language and culture",
        ),
        "subtitles": ("an ethnography", "between two homelands"),
        "subjects": (
            "Koreans|History|China",
            "Koreans|Ethnic identity|China",
            "Minorities||China",
            "Korean diaspora||",
        ),
        "summaries": ("An ethnographic study of {h} and their place in modern China.",),
        "series": ("Asian migration studies",),
    },
    "literature": {
        "patterns": ("The {a} {n}", "{n} of {n2}", "A {n} in {p}", "The {n}'s {n2}", "{a} {n}"),
        "a": (
            "Silent",
            "Last",
            "Hidden",
            "Winter",
            "Salt",
            "Glass",
            "Northern",
            "Lost",
            "Paper",
            "Quiet",
            "Burning",
            "Distant",
        ),
        "n": (
            "House",
            "River",
            "Orchard",
            "Garden",
            "Lighthouse",
            "Sister",
            "Daughter",
            "Library",
            "Season",
            "Harbor",
            "Letters",
            "Bridge",
        ),
        "n2": ("Ashes", "Rain", "Stars", "Memory", "Light", "Wolves", "Swallows", "Snow"),
        "p": ("Winter", "Harbin", "Paris", "the North", "Autumn", "Shanghai"),
        "subtitles": ("a novel", "a novel", "stories", "poems"),
        "subjects": (
            "Families|Fiction|",
            "Man-woman relationships|Fiction|",
            "Immigrants|Fiction|",
            "Psychological fiction||",
        ),
        "summaries": ("A moving novel of family, loss, and memory.",),
        "series": ("Penguin classics", "Vintage international"),
    },
    "children": {
        "patterns": ("The {a} {n}", "{n} goes to {p}", "Where is {n}?", "The {n} who {v}"),
        "a": ("Brave", "Curious", "Little", "Sleepy", "Hungry", "Very Busy"),
        "n": ("Bear", "Fox", "Dinosaur", "Rabbit", "Penguin", "Moon", "Owl", "Elephant", "Turtle"),
        "p": ("School", "the Sea", "the Moon", "Town"),
        "v": ("Could Not Sleep", "Lost Its Hat", "Wanted to Fly", "Loved Books"),
        "subtitles": ("a picture book",),
        "subjects": (
            "Animals|Juvenile fiction|",
            "Friendship|Juvenile fiction|",
            "Bedtime|Juvenile fiction|",
            "Picture books for children||",
        ),
        "summaries": ("A gentle picture book for young readers.",),
        "series": ("I can read!", "Step into reading"),
    },
    "computers": {
        "patterns": (
            "Learning {h}",
            "{h} in action",
            "Programming {h}",
            "Hands-on {h}",
            "{h} for beginners",
            "Fluent {h}",
        ),
        "h": (
            "Python",
            "machine learning",
            "deep learning",
            "SQL",
            "Rust",
            "Linux",
            "data science",
            "algorithms",
            "PostgreSQL",
            "JavaScript",
            "Kubernetes",
        ),
        "subtitles": (
            "a practical introduction",
            "concepts, tools, and techniques",
            "the definitive guide",
            "clear, concise, and effective programming",
        ),
        "subjects": (
            "Python (Computer program language)||",
            "Machine learning||",
            "Computer programming||",
            "Database management||",
            "Artificial intelligence||",
            "Computer algorithms||",
        ),
        "summaries": ("A practical guide to {h}, with examples and exercises.",),
        "series": ("O'Reilly series",),
    },
    "economics": {
        "patterns": (
            "The economics of {h}",
            "{h} and growth",
            "Understanding {h}",
            "The {h} revolution",
            "{h}",
        ),
        "h": (
            "China's economy",
            "global trade",
            "money",
            "inequality",
            "development",
            "finance",
            "the market",
            "capitalism",
        ),
        "subtitles": ("a new perspective", "lessons from East Asia", "theory and evidence"),
        "subjects": (
            "Economic development|China|",
            "Finance||",
            "International trade||",
            "Income distribution||",
            "China|Economic conditions|",
        ),
        "summaries": ("An accessible account of {h} and its consequences.",),
        "series": ("Princeton economic history of the Western world",),
    },
    "medicine": {
        "patterns": ("Living with {h}", "The {h} handbook", "Understanding {h}", "{h}"),
        "h": (
            "diabetes",
            "hypertension",
            "nutrition",
            "sleep",
            "heart disease",
            "anxiety",
            "healthy aging",
        ),
        "subtitles": ("a guide for patients and families", "what you need to know"),
        "subjects": (
            "Diabetes|Popular works|",
            "Hypertension|Treatment|",
            "Nutrition||",
            "Sleep|Health aspects|",
            "Heart|Diseases|",
        ),
        "summaries": ("A practical guide to {h} for patients and families.",),
        "series": ("A Johns Hopkins press health book",),
    },
    "psychology": {
        "patterns": ("The power of {h}", "On {h}", "The science of {h}", "{h}"),
        "h": (
            "habit",
            "emotion",
            "resilience",
            "attention",
            "happiness",
            "loneliness",
            "mindfulness",
        ),
        "subtitles": ("why we do what we do", "a guide to living well"),
        "subjects": (
            "Habit||",
            "Emotions||",
            "Resilience (Personality trait)||",
            "Happiness||",
            "Self-actualization (Psychology)||",
        ),
        "summaries": ("A psychologist explains {h} and how it shapes our lives.",),
        "series": ("Penguin life",),
    },
    "language": {
        "patterns": ("{h} grammar", "Integrated {h}", "Colloquial {h}", "{h} for beginners"),
        "h": ("Korean", "Chinese", "Mandarin", "Korean vocabulary"),
        "subtitles": ("a comprehensive course", "a practical guide"),
        "subjects": (
            "Korean language|Grammar|",
            "Chinese language|Textbooks for foreign speakers|English",
            "Korean language|Conversation and phrase books|English",
        ),
        "summaries": ("A course in {h} for English-speaking learners.",),
        "series": ("Routledge colloquial series",),
    },
    "cookery": {
        "patterns": ("The {h} cookbook", "{h} at home", "Every day {h}", "{h}"),
        "h": ("Korean", "Chinese", "Dumplings", "Noodles", "Vegetarian", "Kimchi"),
        "subtitles": ("recipes from a family kitchen", "simple recipes for home cooks"),
        "subjects": (
            "Cooking, Korean||",
            "Cooking, Chinese||",
            "Dumplings||",
            "Vegetarian cooking||",
        ),
        "summaries": ("More than 100 recipes for {h} cooking at home.",),
        "series": (),
    },
}

# (name, place, topics, ISBN "group-registrant"s, country code for 008/15-17)
PUBLISHERS = (
    ("Penguin Books", "New York", "literature history psychology", "0-14 0-14", "nyu"),
    (
        "Oxford University Press",
        "Oxford",
        "history local ethnic economics language medicine",
        "0-19 0-19",
        "enk",
    ),
    ("Cambridge University Press", "Cambridge", "history local economics", "0-521 1-108", "enk"),
    ("Vintage Books", "New York", "literature", "0-375 0-679", "nyu"),
    ("HarperCollins", "New York", "literature psychology children cookery", "0-06 0-06", "nyu"),
    ("O'Reilly Media", "Sebastopol, CA", "computers", "1-4919 1-0981", "cau"),
    ("W.W. Norton & Company", "New York", "history economics psychology", "0-393 1-324", "nyu"),
    ("Princeton University Press", "Princeton", "economics history", "0-691 0-691", "nju"),
    ("Yale University Press", "New Haven", "history ethnic", "0-300 0-300", "ctu"),
    ("The MIT Press", "Cambridge, MA", "computers economics", "0-262 0-262", "mau"),
    ("Routledge", "London", "language ethnic local", "0-415 1-138", "enk"),
    ("Scholastic", "New York", "children", "0-439 0-545", "nyu"),
    ("Ten Speed Press", "Berkeley", "cookery", "1-5800 1-6077", "cau"),
    ("Johns Hopkins University Press", "Baltimore", "medicine", "0-8018 1-4214", "mdu"),
    ("Manning", "Shelter Island, NY", "computers", "1-6172 1-6334", "nyu"),
)
