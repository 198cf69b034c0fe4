"""Bilingual name pools: people, companies, industries, regions and cities."""

from __future__ import annotations

import random
from dataclasses import dataclass

from seed.texts import pick

# (pinyin, hanzi)
SURNAMES = (
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
    ("Yang", "杨"), ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"),
    ("Xu", "徐"), ("Sun", "孙"), ("Ma", "马"), ("Zhu", "朱"), ("Hu", "胡"),
    ("Guo", "郭"), ("He", "何"), ("Gao", "高"), ("Lin", "林"), ("Luo", "罗"),
    ("Zheng", "郑"), ("Liang", "梁"), ("Xie", "谢"), ("Song", "宋"), ("Tang", "唐"),
    ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"),
    ("Zeng", "曾"), ("Xiao", "肖"), ("Tian", "田"), ("Dong", "董"), ("Pan", "潘"),
    ("Yuan", "袁"), ("Cai", "蔡"), ("Jiang", "蒋"), ("Yu", "余"), ("Du", "杜"),
)  # fmt: skip
GIVEN_NAMES = (
    ("Wei", "伟"), ("Fang", "芳"), ("Min", "敏"), ("Jing", "静"), ("Li", "丽"),
    ("Qiang", "强"), ("Lei", "磊"), ("Jun", "军"), ("Yang", "洋"), ("Yong", "勇"),
    ("Yan", "艳"), ("Jie", "杰"), ("Juan", "娟"), ("Tao", "涛"), ("Ming", "明"),
    ("Chao", "超"), ("Xiuying", "秀英"), ("Xia", "霞"), ("Ping", "平"), ("Gang", "刚"),
    ("Hui", "辉"), ("Ling", "玲"), ("Hao", "浩"), ("Yu", "宇"), ("Xin", "欣"),
    ("Ting", "婷"), ("Bo", "博"), ("Kai", "凯"), ("Lan", "兰"), ("Hong", "红"),
    ("Jian", "建"), ("Hua", "华"), ("Zhiqiang", "志强"), ("Haiyan", "海燕"), ("Xiaoming", "小明"),
    ("Yifan", "一凡"), ("Zihan", "子涵"), ("Yutong", "雨桐"), ("Haoran", "浩然"), ("Ruoxi", "若曦"),
    ("Jiahao", "家豪"), ("Siyu", "思雨"), ("Mengyao", "梦瑶"), ("Zixuan", "子轩"), ("Shuang", "爽"),
    ("Dan", "丹"), ("Ning", "宁"), ("Peng", "鹏"), ("Fei", "飞"), ("Xue", "雪"),
)  # fmt: skip
FIRST_NAMES = (
    "Emma", "Olivia", "Ava", "Sophia", "Mia", "Charlotte", "Amelia", "Harper", "Grace",
    "Chloe", "Lucy", "Hannah", "Sarah", "Emily", "Laura", "Rachel", "Megan", "Anna", "Julia",
    "Kate", "James", "Daniel", "Michael", "David", "William", "Thomas", "Oliver", "Jack",
    "Henry", "Samuel", "Benjamin", "Lucas", "Ethan", "Noah", "Ryan", "Adam", "Mark", "Peter",
    "Paul", "Chris",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
    "Phillips", "Campbell", "Parker", "Evans", "Edwards",
)  # fmt: skip
# (hanzi, pinyin) brand words for company names.
BRANDS = (
    ("华信", "huaxin"), ("中科", "zhongke"), ("东方", "dongfang"), ("恒达", "hengda"),
    ("永盛", "yongsheng"), ("金桥", "jinqiao"), ("新锐", "xinrui"), ("博远", "boyuan"),
    ("天成", "tiancheng"), ("瑞丰", "ruifeng"), ("鑫源", "xinyuan"), ("宏图", "hongtu"),
    ("远航", "yuanhang"), ("卓越", "zhuoyue"), ("汇通", "huitong"), ("嘉禾", "jiahe"),
    ("润泽", "runze"), ("明德", "mingde"), ("安泰", "antai"), ("凯利", "kaili"),
    ("百川", "baichuan"), ("龙腾", "longteng"), ("启明", "qiming"), ("华美", "huamei"),
    ("德信", "dexin"), ("正泰", "zhengtai"), ("聚力", "juli"), ("信达", "xinda"),
    ("海纳", "haina"), ("志诚", "zhicheng"),
)  # fmt: skip
ENGLISH_BRANDS = (
    "Northwind", "Bluepeak", "Silverline", "Redwood", "Evergreen", "Summit", "Brightstar",
    "Ironbridge", "Clearwater", "Goldfield", "Harbor", "Pinnacle", "Crescent", "Oakridge",
    "Skyline", "Lakeside", "Westgate", "Eastwood", "Riverstone", "Sunrise",
)  # fmt: skip
# (industry as stored, Chinese name word, English name word)
INDUSTRIES = (
    ("Technology", "科技", "Technologies"), ("Trade", "贸易", "Trading"),
    ("Manufacturing", "制造", "Manufacturing"), ("Logistics", "物流", "Logistics"),
    ("Healthcare", "医疗", "Health"), ("Education", "教育", "Learning"),
    ("Construction", "建设", "Construction"), ("Food & Beverage", "食品", "Foods"),
    ("Energy", "能源", "Energy"), ("Automotive", "汽车", "Motors"),
    ("Hospitality", "酒店", "Hotels"), ("Electronics", "电子", "Electronics"),
)  # fmt: skip
COMPANY_SUFFIXES = ("有限公司", "有限公司", "股份有限公司", "集团")
ENGLISH_SUFFIXES = ("Ltd.", "Co.", "Group", "Inc.")
# Customer regions with their cities; a team's customers are mostly in its region.
REGION_CITIES = {
    "North China": ("北京", "天津", "石家庄", "太原", "济南", "青岛", "大连", "沈阳", "哈尔滨"),
    "East China": ("上海", "杭州", "南京", "苏州", "宁波", "合肥", "无锡", "温州", "厦门"),
    "South China": ("广州", "深圳", "东莞", "佛山", "南宁", "海口", "珠海", "长沙", "南昌"),
    "West China": ("成都", "重庆", "西安", "昆明", "贵阳", "兰州", "武汉", "郑州", "银川"),
    "International": ("Singapore", "Hong Kong", "Tokyo", "Seoul", "Sydney", "London", "Dubai"),
}
DOMESTIC_REGIONS = ("North China", "East China", "South China", "West China")


@dataclass(frozen=True)
class Person:
    """A person's name as the app shows it, and the ASCII slug for their email address."""

    name: str
    slug: str
    english: bool


def chinese_person(surname: tuple[str, str], given: tuple[str, str]) -> Person:
    """Written like "Li Wei 李伟": pinyin, surname first, then the characters."""
    return Person(
        f"{surname[0]} {given[0]} {surname[1]}{given[1]}",
        f"{surname[0]}.{given[0]}".lower(),
        english=False,
    )


def english_person(first: str, last: str) -> Person:
    return Person(f"{first} {last}", f"{first}.{last}".lower(), english=True)


def random_person(rng: random.Random, english_share: float) -> Person:
    if rng.random() < english_share:
        return english_person(pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES))
    return chinese_person(pick(rng, SURNAMES), pick(rng, GIVEN_NAMES))


def hanzi_name(rng: random.Random) -> str:
    """A Chinese customer contact as written in a Chinese CRM: characters only."""
    return pick(rng, SURNAMES)[1] + pick(rng, GIVEN_NAMES)[1]


def unique_people(
    rng: random.Random, count: int, english_share: float, taken: set[str]
) -> list[Person]:
    """`count` people whose names are not in `taken` (which is updated)."""
    people: list[Person] = []
    while len(people) < count:
        person = random_person(rng, english_share)
        if person.name not in taken:
            taken.add(person.name)
            people.append(person)
    return people
