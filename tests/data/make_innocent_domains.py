"""Write innocent_domains.txt: ≥ 2,000 names an ordinary Chinese or English-speaking site would own.

None imitates a verification platform. They are what a certificate-transparency feed is full of:
companies, schools, hospitals, shops, travel agencies and restaurants named in pinyin or its
initials, personal names, English words and brand-like compounds, short names of 3–6 letters
(which collide most with short official names), and names holding harmless pieces that official
labels also hold (member, memo, cns, zla, mohu, cq, sanlei, cx). Written before the domain scorer
was changed to reach for more typos, so it measures that change instead of being tuned to it.

Deterministic (a fixed seed). Run: .venv/bin/python tests/data/make_innocent_domains.py
"""

from __future__ import annotations

import random
from pathlib import Path

CITIES = ["beijing", "shanghai", "guangzhou", "shenzhen", "hangzhou", "nanjing", "wuhan", "chengdu",
          "chongqing", "tianjin", "xian", "changsha", "zhengzhou", "jinan", "qingdao", "shenyang",
          "dalian", "xiamen", "fuzhou", "kunming", "nanning", "hefei", "suzhou", "wuxi", "ningbo",
          "foshan", "dongguan", "harbin", "taiyuan", "lanzhou", "guiyang", "nanchang", "yantai"]
CITY_INITIALS = ["bj", "sh", "gz", "sz", "hz", "nj", "wh", "cd", "cq", "tj", "xa", "cs", "zz",
                 "jn", "qd", "sy", "dl", "xm", "fz", "km", "nn", "hf", "wx", "nb", "fs", "dg",
                 "hrb", "ty", "lz", "gy", "nc", "yt", "sjz", "cc", "hhht", "wlmq"]
BRANDS = ["huaxin", "zhongxin", "hengda", "jinhui", "tianyu", "hongxing", "xinda", "ruifeng",
          "kangning", "meijia", "yongsheng", "dongfang", "haoyun", "longteng", "shengshi",
          "jiahe", "baoli", "fuxing", "huamei", "xinghe", "ruida", "anda", "mingde", "boya",
          "sanlei", "sanli", "mohua", "molin", "cnsun", "zhonglian", "yida", "huitong", "lianchuang",
          "jingcheng", "taihe", "wanjia", "chuangxin", "youpin", "lanshan", "qingyun", "zhiyuan"]
TRADES = ["keji", "tech", "jixie", "dianzi", "wuliu", "maoyi", "jiaoyu", "wenhua", "chuanmei",
          "jiaju", "jiancai", "huagong", "gangtie", "shipin", "yaoye", "fushi", "zhuangshi",
          "jiazheng", "wangluo", "ruanjian", "dianqi", "nongye", "chaye", "jiudian", "lvyou",
          "canyin", "yiliao", "shengwu", "qiche", "fangchan", "touzi", "zixun", "sheji", "yinshua"]
ENDINGS = ["", "", "-tech", "-group", "-china", "jt", "gs", "kj", "cn", "china", "888", "2024", "01"]
SCHOOLS = ["dx", "zx", "xx", "yz", "sz", "gz", "edu", "school", "xueyuan", "zhongxue", "xiaoxue",
           "daxue", "zhiye", "jixiao", "youeryuan", "peixun"]
HOSPITALS = ["rmyy", "zxyy", "fybjy", "zyy", "yy", "hospital", "renmin-yiyuan", "kouqiang",
             "yanke", "fuchan", "zhongyi", "erke"]
TRAVEL_FOOD = ["lvxingshe", "travel", "guoji-lvxing", "huoguo", "canting", "jiulou", "xiaochi",
               "kaoya", "mianguan", "chaguan", "kafei", "dangao", "shaokao", "malatang", "jiaozi"]
SURNAMES = ["zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu",
            "sun", "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo", "liang", "song", "xiao"]
GIVEN = ["wei", "fang", "na", "min", "jing", "lei", "qiang", "jun", "yang", "yong", "yan", "jie",
         "tao", "ming", "chao", "xiu", "hua", "ping", "gang", "hui", "xin", "yu", "long", "mei"]
PERSONAL_ENDINGS = ["", "jia", "de", "blog", "studio", "shop", "photo", "art"]
ENGLISH = ["apple", "river", "stone", "cloud", "green", "light", "ocean", "forest", "silver",
           "golden", "bright", "happy", "smart", "swift", "maple", "cedar", "harbor", "summit",
           "pixel", "vector", "matrix", "orbit", "nova", "zen", "echo", "spark", "bloom", "nest",
           "craft", "trade", "market", "fresh", "daily", "prime", "metro", "urban", "rural",
           "north", "south", "eastern", "western", "sunny", "lucky", "panda", "tiger", "dragon",
           "phoenix", "lotus", "bamboo", "jade", "silk", "tea", "coffee", "bakery", "garden",
           "kitchen", "house", "home", "office", "paper", "print", "media", "design", "studio",
           "member", "members", "memberclub", "memo", "memos", "memory", "memories", "memorial",
           "memoir", "memphis", "remember", "mohawk", "mohair", "cnsoft", "cnsteel", "cnstar",
           "zlatan", "zlata", "cqbank", "cqnews", "cqtour", "cqhotel", "cxauto", "cxpower",
           "cxprint", "query", "queries", "verify", "certified", "pub", "thepub", "query-tools"]
ENGLISH_SUFFIXES = ["com", "com", "net", "cn", "com.cn", "org", "top", "vip", "io", "co"]
SUFFIXES = ["com", "com", "com", "cn", "cn", "com.cn", "net", "net.cn", "org.cn", "top", "vip",
            "shop", "xyz", "cc", "org", "ltd", "site"]
SUBDOMAINS = ["", "", "", "", "www.", "www.", "m.", "shop.", "mail."]
LETTERS = "abcdefghjklmnpqrstwxyz"  # initials as pinyin abbreviations use them


def _short(rng: random.Random) -> str:
    """A 3–6 letter name: pinyin initials (hxkj), a syllable pair (anda), or an English word."""
    kind = rng.random()
    if kind < 0.45:
        return "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 5)))
    if kind < 0.8:
        name = rng.choice(SURNAMES + GIVEN) + rng.choice(GIVEN)
        return name if len(name) <= 6 else name[:6]
    return rng.choice([w for w in ENGLISH if len(w) <= 6])


def _name(rng: random.Random) -> str:
    """One registrable name (no suffix) of a randomly chosen kind."""
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice(CITIES) + rng.choice(BRANDS) + rng.choice(ENDINGS)
    if kind == 1:
        return rng.choice(BRANDS) + rng.choice(["", "-"]) + rng.choice(TRADES)
    if kind == 2:
        return rng.choice(CITY_INITIALS) + rng.choice(SCHOOLS) + rng.choice(["", "", "-edu", "1"])
    if kind == 3:
        return rng.choice(CITIES + CITY_INITIALS) + rng.choice(HOSPITALS)
    if kind == 4:
        return rng.choice(CITIES + BRANDS) + rng.choice(["", "-"]) + rng.choice(TRAVEL_FOOD)
    if kind == 5:
        return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(PERSONAL_ENDINGS)
    if kind == 6:
        return rng.choice(ENGLISH) + rng.choice(["", "", "-"]) + rng.choice([*ENGLISH, ""])
    if kind == 7:
        return _short(rng)
    return rng.choice(CITY_INITIALS) + rng.choice(BRANDS[:20]) + rng.choice(["", "kj", "-tech"])


def generate(count: int = 2400, seed: int = 20261203) -> list[str]:
    rng = random.Random(seed)
    names: dict[str, None] = {}
    while len(names) < count:
        name = _name(rng).strip("-")
        suffixes = ENGLISH_SUFFIXES if rng.random() < 0.3 else SUFFIXES
        names[f"{rng.choice(SUBDOMAINS)}{name}.{rng.choice(suffixes)}"] = None
    return list(names)


def main() -> None:
    header = [
        "# Innocent host names (written by tests/data/make_innocent_domains.py; do not edit by hand).",
        "# None imitates a verification platform; tests/test_domains.py asserts ≤ 0.5 % are flagged.",
    ]
    path = Path(__file__).with_name("innocent_domains.txt")
    path.write_text("\n".join(header + generate()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
