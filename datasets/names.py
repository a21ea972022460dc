"""Real place names and the word lists generated names are drawn from.

Districts and street offices are Shenzhen's real ones (codes as the
national administrative-division scheme gives them); everything below the
street level is made up from word lists, so it reads like Shenzhen without
naming a real estate, company or person.

All generators take an explicit ``random.Random``: the seed generator must
give the same names for the same seed on every run.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from propgraph.models.enums import ProjectKind


@dataclass(frozen=True)
class DistrictName:
    code: str
    name: str
    # Street offices (without the 街道办 suffix), in the order their codes run.
    streets: tuple[str, ...]


# SPEC order (罗湖 福田 南山 盐田 宝安 龙岗 龙华 坪山 光明 大鹏新区): `tiny`
# takes the first two, `small` the first five, `city` all ten.
DISTRICTS: tuple[DistrictName, ...] = (
    DistrictName(
        "440303",
        "罗湖区",
        ("桂园", "黄贝", "东门", "翠竹", "南湖", "笋岗", "东湖", "莲塘", "东晓", "清水河"),
    ),
    DistrictName(
        "440304",
        "福田区",
        ("南园", "园岭", "福田", "沙头", "香蜜湖", "梅林", "莲花", "华富", "福保", "华强北"),
    ),
    DistrictName(
        "440305", "南山区", ("南头", "南山", "沙河", "蛇口", "招商", "粤海", "桃源", "西丽")
    ),
    DistrictName("440308", "盐田区", ("沙头角", "海山", "盐田", "梅沙")),
    DistrictName(
        "440306",
        "宝安区",
        ("新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"),
    ),
    DistrictName(
        "440307",
        "龙岗区",
        ("平湖", "布吉", "吉华", "坂田", "南湾", "横岗", "园山", "龙城", "龙岗", "坪地", "宝龙"),
    ),
    DistrictName("440309", "龙华区", ("观湖", "民治", "龙华", "大浪", "福城", "观澜")),
    DistrictName("440310", "坪山区", ("坪山", "马峦", "碧岭", "石井", "坑梓", "龙田")),
    DistrictName("440311", "光明区", ("光明", "公明", "新湖", "凤凰", "玉塘", "马田")),
    DistrictName("440312", "大鹏新区", ("葵涌", "大鹏", "南澳")),
)

STREET_SUFFIX = "街道办"

# --- people -----------------------------------------------------------------

# Common surnames with rough relative frequencies (per mille of the
# population, national figures nudged towards Guangdong for 陈 黄 林 ...).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 54),
    ("陈", 62),
    ("杨", 31),
    ("黄", 32),
    ("赵", 23),
    ("吴", 24),
    ("周", 19),
    ("徐", 16),
    ("孙", 15),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 12),
    ("何", 13),
    ("高", 10),
    ("林", 16),
    ("罗", 10),
    ("郑", 10),
    ("梁", 11),
    ("谢", 9),
    ("宋", 6),
    ("唐", 6),
    ("许", 7),
    ("韩", 6),
    ("冯", 6),
    ("邓", 7),
    ("曹", 5),
    ("彭", 5),
    ("曾", 6),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 5),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 5),
    ("余", 4),
    ("杜", 4),
    ("叶", 5),
    ("程", 4),
    ("苏", 4),
    ("魏", 4),
    ("吕", 4),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 4),
    ("姜", 3),
    ("崔", 3),
    ("钟", 4),
    ("谭", 3),
    ("陆", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
    ("石", 3),
    ("廖", 3),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 2),
    ("黎", 2),
    ("贺", 2),
    ("顾", 2),
    ("毛", 2),
    ("郝", 2),
    ("龚", 2),
    ("邵", 2),
    ("万", 2),
    ("钱", 2),
    ("严", 2),
    ("覃", 1),
    ("武", 1),
    ("戴", 1),
    ("莫", 1),
    ("孔", 1),
    ("向", 1),
    ("汤", 1),
    ("温", 1),
    ("欧阳", 0.5),
    ("司马", 0.1),
    ("上官", 0.1),
    ("诸葛", 0.1),
)

GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉玲华飞鹏斌宇浩凯健俊帆帅旭宁"
    "婷雪琳晶颖倩梅莉兰凤洁琴云莹慧巧美娇秀英桂珍淑惠珠翠雅芝玉萍红月彩春菊"
    "文建国志永海林波成荣新庆东峰清磊晨瑞博思嘉怡欣悦涵宏毅坤铭豪晓彤子轩"
    "梓涵雨萱可馨佳琪一诺语嫣浩然宇航俊杰天佑泽楷睿哲鑫源冬生德福昌盛达义"
)

# --- places -----------------------------------------------------------------

# Two characters from these read like a Shenzhen community or estate name
# (东门, 新园, 华丽, 莲塘 ...).
PLACE_FIRST = "东西南北新华金福龙凤翠桂莲梅松竹海湖山水景丽安康和平兴盛荣富民德宝泰祥瑞鹏云石碧锦"
PLACE_SECOND = "园湖山岭田湾坑围岗塘苑城林桥门洲沙埔溪涌坳坝河庄源景华丰和安盛心荣光苗头"

# Curated estate-name prefixes; mixed with generated ones for variety.
ESTATE_WORDS = (
    "碧海",
    "金地",
    "华强",
    "翠竹",
    "海滨",
    "桂园",
    "锦绣",
    "万象",
    "星河",
    "天安",
    "世纪",
    "嘉宾",
    "华侨",
    "东海",
    "皇庭",
    "香榭",
    "名仕",
    "怡景",
    "银湖",
    "荔园",
    "莲花",
    "梅林",
    "景田",
    "彩田",
    "福华",
    "益田",
    "新洲",
    "金港",
    "阳光",
    "幸福",
    "丽晶",
    "帝景",
    "御景",
    "君悦",
    "半岛",
    "滨海",
    "云顶",
    "紫薇",
    "桃源",
    "松坪",
    "白石",
    "荔枝",
    "泰华",
    "星海",
    "龙城",
    "海月",
    "蔚蓝",
    "海岸",
    "金色",
    "绿景",
    "新世界",
    "百仕达",
    "水榭",
    "春天",
    "翡翠",
    "蓝湾",
    "锦城",
    "丽都",
    "骏景",
    "雅园",
    "书香",
    "兰亭",
    "观澜",
    "湖景",
    "山语",
    "香山",
    "青年",
    "都市",
    "东方",
    "南国",
    "鹏城",
    "华联",
    "城市",
    "花园城",
    "枫丹",
    "金众",
    "宝安",
    "龙华",
    "麒麟",
    "文华",
    "汇龙",
    "碧水",
)

URBAN_VILLAGES = (
    "岗厦",
    "白石洲",
    "水围",
    "皇岗",
    "上沙",
    "下沙",
    "沙尾",
    "石厦",
    "湖贝",
    "蔡屋围",
    "渔农",
    "大冲",
    "南头",
    "西丽",
    "福永",
    "沙井",
    "布心",
    "田贝",
    "向西",
    "笋岗",
    "清水河",
    "水贝",
    "新洲",
    "上梅林",
    "下梅林",
    "赤尾",
    "福田",
    "沙嘴",
    "渔民",
    "南园",
    "大芬",
    "坂田",
    "岗头",
    "石岩",
    "官田",
    "大浪",
    "上塘",
    "黄贝岭",
    "罗芳",
    "莲塘",
    "西乡",
    "固戍",
    "黄田",
    "松岗",
    "燕川",
    "塘尾",
    "坪洲",
    "新安",
    "翻身",
    "平湖",
    "横岗",
    "坪地",
    "坑梓",
    "碧岭",
    "葵涌",
)

PROJECT_SUFFIXES: dict[ProjectKind, tuple[str, ...]] = {
    ProjectKind.RESIDENTIAL: (
        "花园",
        "名苑",
        "雅居",
        "豪庭",
        "山庄",
        "小区",
        "家园",
        "公馆",
        "华府",
        "苑",
        "城",
        "阁",
        "轩",
        "居",
        "府",
        "湾",
    ),
    ProjectKind.URBAN_VILLAGE: ("村", "新村", "旧村"),
    ProjectKind.APARTMENT: ("公寓", "人才公寓", "青年公寓", "服务公寓"),
    ProjectKind.OFFICE: ("大厦", "中心", "商务中心", "金融中心", "科技大厦"),
    ProjectKind.COMMERCIAL: ("商业广场", "购物中心", "商城", "广场"),
    ProjectKind.INDUSTRIAL: ("工业园", "科技园", "产业园", "工业区"),
    ProjectKind.OTHER: ("综合楼", "宿舍区", "配套楼"),
}

# Mostly homes, as on the real platform (seed 004: 住宅 dominates).
PROJECT_KIND_WEIGHTS: tuple[tuple[ProjectKind, float], ...] = (
    (ProjectKind.RESIDENTIAL, 62),
    (ProjectKind.URBAN_VILLAGE, 12),
    (ProjectKind.APARTMENT, 6),
    (ProjectKind.OFFICE, 8),
    (ProjectKind.COMMERCIAL, 6),
    (ProjectKind.INDUSTRIAL, 5),
    (ProjectKind.OTHER, 1),
)

PHASES = ("二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期", "十期")

ROADS = (
    "深南大道",
    "滨河大道",
    "北环大道",
    "红荔路",
    "福华路",
    "东门路",
    "人民南路",
    "宝安大道",
    "龙岗大道",
    "布吉路",
    "梅林路",
    "香蜜湖路",
    "南海大道",
    "沙河西路",
    "科技园路",
    "笋岗路",
    "泥岗路",
    "宝安南路",
    "建设路",
    "和平路",
    "解放路",
    "新园路",
    "华强北路",
    "彩田路",
    "皇岗路",
    "益田路",
    "金田路",
    "新洲路",
    "侨香路",
    "桃园路",
    "南山大道",
    "前海路",
    "工业大道",
    "创业路",
    "留仙大道",
    "龙华大道",
    "民治大道",
    "观澜大道",
    "梅观路",
    "坪山大道",
    "光明大道",
    "公明路",
    "葵涌路",
    "迎宾路",
    "盐田路",
    "沙头角路",
    "东湖路",
    "爱国路",
    "文锦路",
    "太宁路",
    "翠竹路",
    "清平路",
    "布心路",
    "龙城大道",
    "横岗路",
    "平湖大街",
    "西乡大道",
    "航城大道",
    "新湖路",
)

COMPANY_CHARS = "万华金中海新鹏龙深粤恒泰宏盛信达安康鑫源嘉兴顺丰和佳城联创瑞祥福富荣景天润誉德宝"

COMPANY_FORMS = (
    "深圳市{}物业管理有限公司",
    "深圳市{}物业服务有限公司",
    "{}物业服务集团股份有限公司",
    "深圳{}物业发展有限公司",
    "深圳市{}物业管理股份有限公司",
    "{}物业管理(深圳)有限公司",
)

BANKS: tuple[tuple[str, float], ...] = (
    ("中国工商银行深圳分行", 20),
    ("中国建设银行深圳市分行", 18),
    ("招商银行深圳分行", 16),
    ("中国银行深圳市分行", 12),
    ("中国农业银行深圳市分行", 10),
    ("平安银行深圳分行", 8),
    ("交通银行深圳分行", 5),
    ("中信银行深圳分行", 3),
    ("兴业银行深圳分行", 3),
    ("上海浦东发展银行深圳分行", 2),
    ("中国邮政储蓄银行深圳分行", 2),
    ("深圳农村商业银行", 1),
)


class WeightedTable:
    """Weighted choice by one ``random()`` call and a bisect (fast, seedable)."""

    def __init__(self, items: tuple[tuple[object, float], ...]) -> None:
        self.values = [value for value, _ in items]
        self.bounds = list(accumulate(weight for _, weight in items))
        self.total = self.bounds[-1]

    def pick(self, rng: random.Random) -> object:
        index = bisect_right(self.bounds, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


class PersonNames:
    """Chinese personal names: a weighted surname and one or two given characters.

    The surname table is expanded into a flat list, so that generating three
    million names costs two or three ``random()`` calls each.
    """

    def __init__(self, rng: random.Random) -> None:
        self._random = rng.random
        flat: list[str] = []
        for surname, weight in SURNAMES:
            flat.extend([surname] * max(1, round(weight * 10)))
        self._surnames = flat
        self._given = GIVEN_NAME_CHARS

    def __call__(self) -> str:
        r = self._random
        surnames, given = self._surnames, self._given
        name = surnames[int(r() * len(surnames))] + given[int(r() * len(given))]
        # About two in three modern names have two given characters.
        if r() < 0.68:
            name += given[int(r() * len(given))]
        return name


def place_word(rng: random.Random) -> str:
    """Two characters that read like a local place name (东门, 新园 ...)."""
    return rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)


def community_name(rng: random.Random, taken: set[str]) -> str:
    """A 社区工作站 name not yet in ``taken`` (which it extends)."""
    while True:
        name = place_word(rng) + "社区工作站"
        if name not in taken:
            taken.add(name)
            return name


def project_name(rng: random.Random, kind: ProjectKind, taken: set[str]) -> str:
    """A project name for ``kind``; a repeated name becomes a later phase (二期 ...)."""
    for _ in range(4):
        if kind is ProjectKind.URBAN_VILLAGE and rng.random() < 0.5:
            stem = rng.choice(URBAN_VILLAGES)
        elif kind is not ProjectKind.URBAN_VILLAGE and rng.random() < 0.5:
            stem = rng.choice(ESTATE_WORDS)
        else:
            stem = place_word(rng)
        suffix = rng.choice(PROJECT_SUFFIXES[kind])
        base = stem + suffix
        if stem[-1] == suffix[0]:  # no 湖湾湾
            continue
        if base not in taken:
            taken.add(base)
            return base
    for phase in PHASES:
        if base + phase not in taken:
            taken.add(base + phase)
            return base + phase
    # Ten phases of one estate: number the rest rather than loop forever.
    n = 11
    while f"{base}{n}期" in taken:
        n += 1
    taken.add(f"{base}{n}期")
    return f"{base}{n}期"


def company_name(rng: random.Random, taken: set[str]) -> str:
    """A property-service company name not yet in ``taken``."""
    while True:
        length = 2 if rng.random() < 0.6 else 3
        word = "".join(rng.sample(COMPANY_CHARS, length))
        name = rng.choice(COMPANY_FORMS).format(word)
        if name not in taken:
            taken.add(name)
            return name


def address(rng: random.Random, district: str, street: str) -> str:
    """``深圳市福田区香蜜湖街道侨香路123号``: street office names lose the 办."""
    street_area = street.removesuffix("办")
    return f"深圳市{district}{street_area}{rng.choice(ROADS)}{rng.randint(1, 399)}号"
