"""Chinese word lists for the record generator.

Every word that can end up in a title or a personal name carries its pinyin
(``汉字=pin yin``), written per word rather than per character so that
polyphones come out right (长白山 chang, 高句丽 gou, 农乐舞 yue). Text that is
never romanised in a record (subtitles, subjects, summaries, series) is plain.
Title templates use ``{slot}`` for a word drawn from the slot's list and
``{汉字=pin yin}`` for a literal.
"""

from __future__ import annotations

SURNAMES = (
    "王=wang 李=li 张=zhang 刘=liu 陈=chen 杨=yang 赵=zhao 黄=huang 周=zhou 吴=wu "
    "徐=xu 孙=sun 马=ma 朱=zhu 胡=hu 郭=guo 何=he 高=gao 林=lin 罗=luo 郑=zheng "
    "梁=liang 谢=xie 宋=song 唐=tang 许=xu 韩=han 冯=feng 邓=deng 曹=cao 彭=peng "
    "曾=zeng 田=tian 董=dong 袁=yuan 潘=pan 于=yu 蒋=jiang 蔡=cai 余=yu 杜=du 叶=ye "
    "程=cheng 苏=su 魏=wei 丁=ding 任=ren 沈=shen 姚=yao 卢=lu 姜=jiang 崔=cui "
    "钟=zhong 谭=tan 陆=lu 汪=wang 范=fan 金=jin 石=shi 廖=liao 贾=jia 夏=xia "
    "韦=wei 方=fang 白=bai 邹=zou 孟=meng 熊=xiong 秦=qin 邱=qiu 江=jiang 尹=yin "
    "薛=xue 段=duan 雷=lei 侯=hou 龙=long 史=shi 陶=tao 黎=li 贺=he 顾=gu 毛=mao "
    "郝=hao 龚=gong 邵=shao 钱=qian 严=yan 武=wu 戴=dai 孔=kong 汤=tang"
)
# Surnames of the Korean community in China, written in Chinese characters.
KOREAN_SURNAMES = "金=jin 朴=piao 李=li 崔=cui 郑=zheng 姜=jiang 尹=yin 申=shen 全=quan 玄=xuan 南=nan 权=quan 洪=hong 安=an 柳=liu 许=xu 韩=han 林=lin"
GIVEN = (
    "伟=wei 芳=fang 娜=na 敏=min 静=jing 丽=li 强=qiang 磊=lei 军=jun 洋=yang 勇=yong "
    "艳=yan 杰=jie 娟=juan 涛=tao 明=ming 超=chao 秀=xiu 英=ying 霞=xia 平=ping "
    "刚=gang 桂=gui 兰=lan 玉=yu 华=hua 文=wen 建=jian 国=guo 志=zhi 红=hong 海=hai "
    "春=chun 燕=yan 立=li 新=xin 东=dong 亮=liang 宇=yu 鹏=peng 晓=xiao 雪=xue "
    "梅=mei 林=lin 永=yong 成=cheng 光=guang 德=de 振=zhen 宏=hong 峰=feng 俊=jun "
    "荣=rong 松=song 哲=zhe 浩=hao 然=ran 思=si 雨=yu 婷=ting 佳=jia 琳=lin 欣=xin "
    "怡=yi 子=zi 博=bo 凯=kai 宁=ning 瑞=rui 学=xue 庆=qing 福=fu 贵=gui 民=min "
    "一=yi 铁=tie 山=shan 云=yun 顺=shun 善=shan 淑=shu 贞=zhen 姬=ji 镇=zhen "
    "植=zhi 洙=zhu 龙=long 泽=ze 慧=hui 丹=dan"
)

# Simplified → traditional for every character of the lists above and of the
# topics in TRADITIONAL_TOPICS that differs; the tests check the result is Big5.
S2T_PAIRS = (
    "历歷 国國 东東 华華 书書 学學 医醫 养養 经經 济濟 论論 讲講 话話 实實 践踐 "
    "础礎 据據 库庫 计計 网網 络絡 数數 机機 习習 电電 脑腦 软軟 件件 统統 "
    "图圖 说說 记記 阅閱 读讀 诗詩 词詞 汉漢 语語 门門 导導 简簡 纲綱 "
    "长長 张張 刘劉 陈陳 杨楊 赵趙 黄黃 吴吳 孙孫 马馬 罗羅 郑鄭 谢謝 许許 "
    "韩韓 冯馮 邓鄧 蒋蔣 叶葉 苏蘇 卢盧 钟鍾 谭譚 陆陸 贾賈 韦韋 邹鄒 龙龍 "
    "贺賀 顾顧 龚龔 钱錢 严嚴 汤湯 伟偉 丽麗 军軍 艳艷 杰傑 涛濤 刚剛 兰蘭 "
    "红紅 鹏鵬 晓曉 荣榮 凯凱 宁寧 庆慶 贵貴 铁鐵 云雲 顺順 贞貞 镇鎮 静靜 泽澤 "
    "乡鄉 灯燈 鸟鳥 间間 远遠 梦夢 车車 桦樺 烟煙 风風 们們 亲親 边邊 "
    "狐狐 兔兔 鹅鵝 龟龜 海海 豚豚 飞飛 奇奇 险險 绘繪 旅旅 "
    "编編 写寫 码碼 发發 战戰 优優 结結 构構 链鏈 识識 测測 试試 "
    "贸貿 财財 务務 销銷 营營 资資 币幣 货貨 场場 业業 报報 告告 "
    "压壓 针針 饮飲 护護 疗療 脏臟 问問 答答 调調 指指 南南 "
    "虑慮 绪緒 关關 长長 练練 课課 孤孤 独獨 "
    "菜菜 汤湯 点點 饺餃 烘烘 焙焙 凉涼 精精 选選 "
    "时時 帝帝 运運 丝絲 绸綢 战戰 争爭 辛辛 亥亥 纪紀 边邊 疆疆 清清 "
    "献獻 与與 为為 个個 们們 对對 这這 内內 观觀 现現 当當 传傳 众眾 "
    "细細 简簡 话話 稿稿 料料 选選 汇匯 总總 岁歲 单單 队隊 将將 乐樂 "
    "难難 儿兒 会會 爱愛 样樣 鱼魚 宝寶 听聽 欢歡 级級 读讀 "
    "绍紹 术術 广廣 适適 详詳 层層 专專 释釋 体體 题題 众眾 领領 动動 "
    "录錄 开開 创創 质質 让讓 并並 标標 准準 应應 该該 丛叢 辑輯 众眾 "
    "达達 贯貫 员員 务務 复復 杂雜 术術 门門 帮幫 助助 热熱 见見 "
    "产產 业業 环環 境境 过過 还還 进進 闻聞 谈談 续續 层層 众眾 惯慣 "
    "气氣 农農 众眾 边邊 创創 脸臉 画畫 讲講 颜顏 织織 艺藝 剧劇 乐樂 "
    "临臨 义義 乌烏 亚亞 从從 兴興 册冊 别別 势勢 区區 厨廚 变變 围圍 块塊 奖獎 妈媽 "
    "师師 强強 拥擁 挚摯 旧舊 权權 桥橋 沟溝 灵靈 状狀 猫貓 笔筆 绕繞 给給 腻膩 获獲 "
    "视視 订訂 认認 讨討 议議 设設 译譯 询詢 败敗 趋趨 轻輕 辽遼 迁遷 逻邏 项項 频頻 "
    "馆館 驱驅 验驗 骤驟 鲜鮮 麦麥"
)
# Words where the character map would pick the wrong form.
S2T_WORDS = {
    "面点": "麵點",
    "头发": "頭髮",
    "皇后": "皇后",
    "复杂": "複雜",
    "系统": "系統",
    "关系": "關係",
}

# Topics that Taiwan and Hong Kong publishers produce (no local history of Jilin).
TRADITIONAL_TOPICS = (
    "history",
    "literature",
    "children",
    "computers",
    "economics",
    "medicine",
    "psychology",
    "cookery",
)

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "history": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}", "{h}", "{h}{与=yu}{h2}"),
        "h": (
            "中国近代史=zhong guo jin dai shi",
            "明清史=ming qing shi",
            "中华文明=zhong hua wen ming",
            "丝绸之路=si chou zhi lu",
            "辽金史=liao jin shi",
            "抗日战争=kang ri zhan zheng",
            "清代边疆=qing dai bian jiang",
            "宋代社会=song dai she hui",
            "唐代长安=tang dai chang an",
            "世界史=shi jie shi",
            "古代中国=gu dai zhong guo",
            "大运河=da yun he",
            "渤海国=bo hai guo",
            "高句丽=gao gou li",
            "甲午战争=jia wu zhan zheng",
            "辛亥革命=xin hai ge ming",
            "中国通史=zhong guo tong shi",
            "二十世纪中国=er shi shi ji zhong guo",
        ),
        "h2": ("帝国=di guo", "边疆=bian jiang", "文明=wen ming", "世界=shi jie", "东亚=dong ya"),
        "m": (
            "细说=xi shuo",
            "图说=tu shuo",
            "重读=chong du",
            "简明=jian ming",
            "新编=xin bian",
            "话说=hua shuo",
        ),
        "s": (
            "研究=yan jiu",
            "史话=shi hua",
            "十讲=shi jiang",
            "新论=xin lun",
            "论稿=lun gao",
            "史料选编=shi liao xuan bian",
            "通论=tong lun",
            "讲义=jiang yi",
            "的故事=de gu shi",
        ),
        "subtitles": (
            "1840—1949",
            "以东北地区为中心",
            "一个历史学家的观察",
            "插图本",
            "从先秦到清末",
            "1931—1945",
        ),
        "subjects": (
            "中国历史|研究||近代",
            "中国历史|通俗读物||",
            "世界史|研究||",
            "抗日战争|史料|中国|",
            "中国历史|明清时代||",
            "中国历史|史料||",
        ),
        "summaries": (
            "本书以大量史料为基础，对{h}进行了系统的梳理与深入的探讨。",
            "全书分为十二章，围绕{h}展开论述，文字通俗，适合广大历史爱好者阅读。",
        ),
        "series": ("中国历史文化丛书", "大家小书", "历史学研究丛书"),
    },
    "local": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}"),
        "h": (
            "延边=yan bian",
            "吉林=ji lin",
            "长白山=chang bai shan",
            "松花江=song hua jiang",
            "图们江=tu men jiang",
            "黑龙江=hei long jiang",
            "辽宁=liao ning",
            "哈尔滨=ha er bin",
            "延吉=yan ji",
            "珲春=hun chun",
            "龙井=long jing",
            "长春=chang chun",
            "沈阳=shen yang",
            "牡丹江=mu dan jiang",
            "鸭绿江=ya lu jiang",
            "东北=dong bei",
        ),
        "m": (
            "老=lao",
            "图说=tu shuo",
            "话说=hua shuo",
            "走进=zou jin",
            "百年=bai nian",
            "记忆中的=ji yi zhong de",
        ),
        "s": (
            "地方志=di fang zhi",
            "史话=shi hua",
            "风物志=feng wu zhi",
            "百年史=bai nian shi",
            "文史资料=wen shi zi liao",
            "地名考=di ming kao",
            "民俗=min su",
            "年鉴=nian jian",
            "城市记忆=cheng shi ji yi",
            "历史文化=li shi wen hua",
        ),
        "subtitles": ("1900—1949", "地方文史资料选编", "老照片集", "口述史", "第一辑"),
        "subjects": (
            "地方史||吉林|",
            "地方志||延边朝鲜族自治州|",
            "城市史||哈尔滨|",
            "地方史||黑龙江省|",
            "地方史||辽宁省|",
            "民俗||东北地区|",
        ),
        "summaries": (
            "本书收录了有关{h}的历史、地理、民俗等方面的资料，是了解地方历史文化的重要读物。",
        ),
        "series": ("吉林文史丛书", "延边文史资料", "东北地方史丛书"),
    },
    "ethnic": {
        "patterns": ("{h}{s}", "{m}{h}{s}", "{m}{h}"),
        "h": (
            "朝鲜族=chao xian zu",
            "朝鲜族民俗=chao xian zu min su",
            "朝鲜族舞蹈=chao xian zu wu dao",
            "朝鲜族音乐=chao xian zu yin yue",
            "朝鲜族文学=chao xian zu wen xue",
            "朝鲜族教育=chao xian zu jiao yu",
            "阿里郎=a li lang",
            "农乐舞=nong yue wu",
            "延边朝鲜族=yan bian chao xian zu",
            "长鼓舞=chang gu wu",
        ),
        "m": ("中国=zhong guo", "延边=yan bian", "图说=tu shuo", "走近=zou jin"),
        "s": (
            "史=shi",
            "研究=yan jiu",
            "概论=gai lun",
            "文化=wen hua",
            "通史=tong shi",
            "百年=bai nian",
            "史料=shi liao",
            "非物质文化遗产=fei wu zhi wen hua yi chan",
        ),
        "subtitles": ("朝汉对照", "以延边为中心", "田野调查报告", "图文本"),
        "subjects": (
            "朝鲜族|民族文化|中国|",
            "朝鲜族|民族历史|延边朝鲜族自治州|",
            "朝鲜族|风俗习惯|吉林|",
            "朝鲜族|民族舞蹈||",
            "朝鲜族|民间音乐||",
            "朝鲜族|文学研究|中国|",
        ),
        "summaries": ("本书介绍了{h}的形成与发展，记录了朝鲜族人民的生活、习俗和艺术。",),
        "series": ("中国朝鲜族文化丛书", "朝鲜族非物质文化遗产丛书"),
    },
    "literature": {
        "patterns": ("{m}{的=de}{h}", "{m}{h}", "{h}{s}", "{m}{的=de}{h}", "{h}"),
        "h": (
            "春天=chun tian",
            "往事=wang shi",
            "白桦林=bai hua lin",
            "雪=xue",
            "灯火=deng huo",
            "候鸟=hou niao",
            "河流=he liu",
            "少年=shao nian",
            "故人=gu ren",
            "月光=yue guang",
            "远方=yuan fang",
            "夜色=ye se",
            "冬天=dong tian",
            "麦田=mai tian",
            "火车=huo che",
            "旧梦=jiu meng",
            "人间=ren jian",
            "家书=jia shu",
            "炊烟=chui yan",
        ),
        "m": (
            "北方=bei fang",
            "故乡=gu xiang",
            "小城=xiao cheng",
            "老街=lao jie",
            "松花江=song hua jiang",
            "黑土地=hei tu di",
            "草原=cao yuan",
            "一九八七年=yi jiu ba qi nian",
            "我们=wo men",
            "父亲=fu qin",
            "母亲=mu qin",
            "边城=bian cheng",
            "雪乡=xue xiang",
            "海边=hai bian",
        ),
        "s": ("记=ji", "纪事=ji shi", "三部曲=san bu qu", "之歌=zhi ge", "笔记=bi ji"),
        "subtitles": ("长篇小说", "长篇小说", "中篇小说集", "短篇小说集", "散文集", "诗集"),
        "subjects": (
            "长篇小说||中国|当代",
            "长篇小说||中国|当代",
            "短篇小说|小说集|中国|当代",
            "散文集||中国|当代",
            "诗集||中国|当代",
        ),
        "summaries": (
            "这是一部关于{h}的小说，讲述了普通人在时代变迁中的命运与梦想。",
            "作品以细腻的笔触描写了{h}，语言优美，感情真挚。",
        ),
        "series": ("中国当代作家文丛", "茅盾文学奖获奖作品", "新时代文学丛书"),
    },
    "children": {
        "patterns": ("{m}{h}", "{h}{s}", "{m}{h}{s}"),
        "h": (
            "小熊=xiao xiong",
            "小狐狸=xiao hu li",
            "恐龙=kong long",
            "小兔子=xiao tu zi",
            "小企鹅=xiao qi e",
            "星星=xing xing",
            "月亮=yue liang",
            "大森林=da sen lin",
            "小海豚=xiao hai tun",
            "魔法学校=mo fa xue xiao",
            "宇宙=yu zhou",
            "小猫=xiao mao",
            "大象=da xiang",
            "小乌龟=xiao wu gui",
        ),
        "m": (
            "好奇的=hao qi de",
            "勇敢的=yong gan de",
            "我的=wo de",
            "不一样的=bu yi yang de",
            "会飞的=hui fei de",
            "神奇的=shen qi de",
            "爱哭的=ai ku de",
        ),
        "s": (
            "历险记=li xian ji",
            "的秘密=de mi mi",
            "去旅行=qu lv xing",
            "百科=bai ke",
            "绘本=hui ben",
            "的故事=de gu shi",
            "找朋友=zhao peng you",
            "回家=hui jia",
        ),
        "subtitles": ("注音版", "彩图版", "3—6岁", "儿童科普绘本", "桥梁书"),
        "subjects": (
            "图画故事||中国|当代",
            "童话||中国|当代",
            "动物|儿童读物||",
            "科学知识|儿童读物||",
            "儿童故事||中国|当代",
        ),
        "summaries": ("这是一本适合亲子共读的图画书，讲述了{h}的有趣故事。",),
        "series": ("小海豚绘本馆", "彩虹桥梁书", "中国原创图画书"),
    },
    "computers": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}"),
        "h": (
            "Python=Python",
            "机器学习=ji qi xue xi",
            "深度学习=shen du xue xi",
            "人工智能=ren gong zhi neng",
            "数据库=shu ju ku",
            "大数据=da shu ju",
            "算法=suan fa",
            "数据结构=shu ju jie gou",
            "Java=Java",
            "网络安全=wang luo an quan",
            "云计算=yun ji suan",
            "Linux=Linux",
            "计算机网络=ji suan ji wang luo",
            "软件工程=ruan jian gong cheng",
            "操作系统=cao zuo xi tong",
            "区块链=qu kuai lian",
            "数据分析=shu ju fen xi",
            "MySQL=MySQL",
        ),
        "m": (
            "零基础学=ling ji chu xue",
            "精通=jing tong",
            "深入理解=shen ru li jie",
            "图解=tu jie",
            "轻松学=qing song xue",
        ),
        "s": (
            "从入门到精通=cong ru men dao jing tong",
            "实战=shi zhan",
            "基础教程=ji chu jiao cheng",
            "原理与实践=yuan li yu shi jian",
            "权威指南=quan wei zhi nan",
            "项目实战=xiang mu shi zhan",
            "核心技术=he xin ji shu",
            "入门=ru men",
        ),
        "subtitles": ("微课视频版", "原书第2版", "基于Python 3", "案例驱动", "全彩"),
        "subjects": (
            "软件工具|程序设计||",
            "机器学习|||",
            "人工智能|研究||",
            "数据库系统|教材||",
            "计算机网络|安全技术||",
            "程序语言|程序设计||",
            "操作系统|基本知识||",
        ),
        "summaries": (
            "本书从基础知识讲起，通过大量实例介绍了{h}的核心概念与开发方法，适合初学者和工程技术人员阅读。",
        ),
        "series": ("计算机科学丛书", "图灵程序设计丛书", "高等学校计算机专业教材"),
    },
    "economics": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}"),
        "h": (
            "中国经济=zhong guo jing ji",
            "数字经济=shu zi jing ji",
            "金融=jin rong",
            "货币=huo bi",
            "企业管理=qi ye guan li",
            "乡村振兴=xiang cun zhen xing",
            "东北振兴=dong bei zhen xing",
            "市场营销=shi chang ying xiao",
            "投资=tou zi",
            "财务管理=cai wu guan li",
            "电子商务=dian zi shang wu",
            "经济学=jing ji xue",
            "区域经济=qu yu jing ji",
            "边境贸易=bian jing mao yi",
            "家庭理财=jia ting li cai",
        ),
        "m": ("读懂=du dong", "新时代=xin shi dai", "大国=da guo", "解读=jie du", "图解=tu jie"),
        "s": (
            "研究=yan jiu",
            "概论=gai lun",
            "原理=yuan li",
            "十五讲=shi wu jiang",
            "发展报告=fa zhan bao gao",
            "案例分析=an li fen xi",
            "的逻辑=de luo ji",
            "实务=shi wu",
        ),
        "subtitles": ("理论与实践", "以吉林省为例", "2015—2020", "中国的经验"),
        "subjects": (
            "经济发展|研究|中国|",
            "区域经济发展|研究|东北地区|",
            "企业管理|||",
            "金融|研究|中国|",
            "电子商务|||",
            "家庭管理|财务管理||",
        ),
        "summaries": ("本书结合大量案例，分析了{h}的现状、问题与发展趋势，并提出了对策建议。",),
        "series": ("经济管理文库", "中国经济问题研究丛书"),
    },
    "medicine": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}"),
        "h": (
            "糖尿病=tang niao bing",
            "高血压=gao xue ya",
            "中医养生=zhong yi yang sheng",
            "营养学=ying yang xue",
            "儿童健康=er tong jian kang",
            "睡眠=shui mian",
            "心脏病=xin zang bing",
            "家庭急救=jia ting ji jiu",
            "老年护理=lao nian hu li",
            "针灸=zhen jiu",
            "饮食=yin shi",
            "抑郁症=yi yu zheng",
            "癌症=ai zheng",
        ),
        "m": ("图解=tu jie", "名医讲=ming yi jiang", "告别=gao bie", "专家解读=zhuan jia jie du"),
        "s": (
            "防治=fang zhi",
            "百问百答=bai wen bai da",
            "手册=shou ce",
            "指南=zhi nan",
            "知识=zhi shi",
            "家庭调养=jia ting tiao yang",
        ),
        "subtitles": ("专家答疑", "全彩图解版", "家庭实用版"),
        "subjects": (
            "糖尿病|防治||",
            "高血压|防治||",
            "养生(中医)|||",
            "营养卫生|基本知识||",
            "急救|基本知识||",
            "针灸疗法|||",
            "抑郁症|诊疗||",
        ),
        "summaries": ("本书由临床专家编写，用通俗的语言介绍了{h}的基本知识和日常注意事项。",),
        "series": ("健康中国丛书", "家庭医生丛书"),
    },
    "psychology": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}"),
        "h": (
            "心理学=xin li xue",
            "情绪=qing xu",
            "自我成长=zi wo cheng zhang",
            "亲密关系=qin mi guan xi",
            "焦虑=jiao lv",
            "幸福=xing fu",
            "沟通=gou tong",
            "习惯=xi guan",
            "孤独=gu du",
            "自信=zi xin",
            "人生=ren sheng",
        ),
        "m": ("走出=zou chu", "拥抱=yong bao", "学会=xue hui", "重塑=chong su"),
        "s": (
            "心理学=xin li xue",
            "的力量=de li liang",
            "课=ke",
            "十二讲=shi er jiang",
            "练习=lian xi",
        ),
        "subtitles": ("写给年轻人", "心理咨询师手记", "修订本"),
        "subjects": (
            "心理学|通俗读物||",
            "情绪|自我控制||",
            "人生哲学|通俗读物||",
            "人际关系|心理交往||",
        ),
        "summaries": ("作者结合多年的心理咨询经验，讲述了{h}与日常生活的关系，帮助读者认识自我。",),
        "series": ("心理学与生活丛书", "心灵成长书系"),
    },
    "language": {
        "patterns": ("{h}{s}", "{m}{h}{s}"),
        "h": (
            "朝鲜语=chao xian yu",
            "韩国语=han guo yu",
            "基础朝鲜语=ji chu chao xian yu",
            "韩国语能力考试=han guo yu neng li kao shi",
            "朝汉翻译=chao han fan yi",
        ),
        "m": ("标准=biao zhun", "新编=xin bian", "实用=shi yong", "零起点=ling qi dian"),
        "s": (
            "语法=yu fa",
            "会话=hui hua",
            "口语=kou yu",
            "词汇=ci hui",
            "教程=jiao cheng",
            "阅读=yue du",
            "入门=ru men",
            "常用词=chang yong ci",
        ),
        "subtitles": ("朝汉对照", "附音频", "初级"),
        "subjects": ("朝鲜语|教材||", "朝鲜语|口语||", "朝鲜语|语法||", "朝鲜语|翻译||"),
        "summaries": ("本书是为学习{h}的读者编写的教材，内容循序渐进，配有大量练习。",),
        "series": ("朝鲜语系列教材", "外语学习丛书"),
    },
    "cookery": {
        "patterns": ("{h}{s}", "{m}{h}", "{m}{h}{s}"),
        "h": (
            "家常菜=jia chang cai",
            "东北菜=dong bei cai",
            "朝鲜族泡菜=chao xian zu pao cai",
            "面点=mian dian",
            "汤=tang",
            "烘焙=hong bei",
            "素食=su shi",
            "饺子=jiao zi",
            "凉菜=liang cai",
        ),
        "m": (
            "零失败=ling shi bai",
            "一学就会的=yi xue jiu hui de",
            "妈妈的=ma ma de",
            "经典=jing dian",
        ),
        "s": ("大全=da quan", "精选=jing xuan", "三百例=san bai li", "做法=zuo fa"),
        "subtitles": ("视频版", "图解步骤", "全彩"),
        "subjects": (
            "菜谱|||",
            "菜谱||东北地区|",
            "朝鲜族|饮食|风俗习惯|",
            "面食|食谱||",
            "糕点|制作||",
        ),
        "summaries": ("本书收录了上百道{h}的做法，步骤清晰，图文并茂。",),
        "series": ("美食生活馆", "家庭厨房丛书"),
    },
}

# (name, place, topics, ISBN registrants after 978-7-) — Chinese mainland publishers.
PUBLISHERS = (
    ("人民文学出版社", "北京", "literature children", "02"),
    ("商务印书馆", "北京", "history language", "100"),
    ("中华书局", "北京", "history", "101"),
    ("人民出版社", "北京", "history economics", "01"),
    ("生活·读书·新知三联书店", "北京", "history literature psychology", "108"),
    ("清华大学出版社", "北京", "computers", "302"),
    ("机械工业出版社", "北京", "computers economics", "111"),
    ("电子工业出版社", "北京", "computers", "121"),
    ("人民邮电出版社", "北京", "computers", "115"),
    ("人民卫生出版社", "北京", "medicine", "117"),
    ("化学工业出版社", "北京", "medicine cookery", "122"),
    ("中国轻工业出版社", "北京", "cookery", "5019 5184"),
    ("中信出版社", "北京", "economics psychology", "5086 5217"),
    ("北京大学出版社", "北京", "economics psychology history language", "301"),
    ("吉林人民出版社", "长春", "local history ethnic economics", "206"),
    ("吉林文史出版社", "长春", "local history", "5472 5534"),
    ("时代文艺出版社", "长春", "literature", "5387 5469"),
    ("黑龙江人民出版社", "哈尔滨", "local history", "207"),
    ("北方文艺出版社", "哈尔滨", "literature", "5317 5306"),
    ("辽宁人民出版社", "沈阳", "local economics", "205"),
    ("春风文艺出版社", "沈阳", "literature children", "5313 5315"),
    ("延边人民出版社", "延吉", "ethnic local language cookery", "5449 5462"),
    ("延边大学出版社", "延吉", "ethnic language history", "5634 5688"),
    ("民族出版社", "北京", "ethnic language", "105"),
    ("接力出版社", "南宁", "children", "5448 5450"),
    ("少年儿童出版社", "上海", "children", "5324 5589"),
)
# Taiwan and Hong Kong publishers, names already in traditional characters.
# (name, place, topics, "group-registrant" pairs, currency)
TRADITIONAL_PUBLISHERS = (
    ("聯經出版事業公司", "臺北", "literature history", "957-08 986-07", "TWD"),
    (
        "遠流出版事業股份有限公司",
        "臺北",
        "literature history psychology children",
        "957-32 957-39",
        "TWD",
    ),
    ("時報文化出版企業", "臺北", "literature economics psychology", "957-13 986-16", "TWD"),
    ("三民書局", "臺北", "history literature", "957-14 957-19", "TWD"),
    ("天下遠見出版股份有限公司", "臺北", "economics psychology medicine", "986-47 957-62", "TWD"),
    ("碁峰資訊股份有限公司", "臺北", "computers", "986-50 986-47", "TWD"),
    ("原水文化", "臺北", "medicine cookery", "986-58 986-44", "TWD"),
    ("商務印書館(香港)有限公司", "香港", "history literature", "962-07 988-80", "HKD"),
    (
        "三聯書店(香港)有限公司",
        "香港",
        "history literature cookery children",
        "962-04 988-82",
        "HKD",
    ),
)
