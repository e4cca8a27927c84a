"""Write lookalike_domains.tsv: the labelled domain set of tests/test_domains.py, from seeds below.

Deterministic (no randomness): every lookalike seed is crossed with a few suffixes and prefixes,
every negative seed with the suffixes an innocent site of its kind would use. The seeds are written
by hand, independently of leads/plan/permutations.py, so the test does not grade the scorer on its own
generator. Run: .venv/bin/python tests/data/make_lookalike_domains.py
"""

from __future__ import annotations

from pathlib import Path

MEM, MOHURD, SAMR = "cx.mem.gov.cn", "zlaq.mohurd.gov.cn", "cnse.e-cqs.cn"
SUFFIXES = ("com", "cn", "com.cn", "top", "vip", "net")

# kind → (target, registrable names); each is written under every suffix in SUFFIXES
LOOKALIKE_NAMES: dict[str, list[tuple[str, list[str]]]] = {
    "typosquat": [
        (MEM, ["cxmen", "cxmwm", "cmxem", "cxmme", "cxnem", "cxxmem", "cxmemm", "xcmem"]),
        (
            MOHURD,
            [
                "zlaqmohurb",
                "zlaq-mohrd",
                "zlaqmohud",
                "mohrud",
                "mohurdd",
                "mohhurd",
                "zlqamohurd",
                "zlaqmohurf",
                "mo-hurd",
                "zlaq-mohudr",
            ],
        ),
        (
            SAMR,
            ["cnseecps", "cnse-ecq", "cnseecqss", "cnsecqs", "cnes-ecqs", "cnseeqcs", "cnse-e-cq"],
        ),
        (MOHURD, ["mohur"]),  # RELABELLED (below)
        (SAMR, ["cnsea", "cnsec-lab", "e-cq"]),  # RELABELLED; e-cq is dnstwist's omission of e-cqs
    ],
    "official_label": [  # a distinctive official label as it is, on another suffix (issue 10)
        (MOHURD, ["zlaq"]),
        (SAMR, ["cnse"]),  # RELABELLED
    ],
    "homoglyph": [  # Cyrillic/Greek letters, written as Unicode (IDN)
        (MEM, ["сх-mem", "cx-меm", "cх-mem", "cxmеm", "cx-mеm-gov"]),
        (MOHURD, ["zlаq-mohurd", "mоhurd", "zlaq-mоhurd", "zlaqmοhurd", "mohυrd"]),
        (SAMR, ["cnse-еcqs", "сnse-ecqs", "cnsе-ecqs", "cnse-ecqѕ"]),
    ],
    "ascii_swap": [  # digits for letters, rn for m, vv for w, cl for d
        (MEM, ["cx-rnem", "cxrnem", "cx-rnem-g0v", "vvvvvv-mem-gov", "rnem-gov-cx"]),
        (MOHURD, ["m0hurd", "z1aq-mohurd", "zlaq-m0hurd", "rnohurd", "mohurcl", "z1aqm0hurd"]),
        (SAMR, ["cnse-ecqs-g0v", "cnse-ecq5-cn"]),
    ],
    "token_combination": [
        (
            MEM,
            [
                "cx-mem-gov",
                "memgov-cx",
                "gov-mem-cx",
                "cxmemgov",
                "mem-cx",
                "cx-mem",
                "memcx",
                "cxmem-gov",
                "mem-gov-cx",
                "gov-cx-mem",
            ],
        ),
        (
            MOHURD,
            [
                "zlaq-mohurd",
                "mohurd-zlaq",
                "mohurdzlaq",
                "zlaqgov-mohurd",
                "zlaq-gov",
                "mohurd-gov",
                "gov-mohurd",
                "zlaqmohurd-gov",
            ],
        ),
        (
            SAMR,
            [
                "cnse-ecqs",
                "ecqs-cnse",
                "cnsesamr",
                "samr-cnse",
                "cnse-gov",
                "cnse-e-cqs",
                "ecqs-gov",
            ],
        ),
    ],
    "suffix_swap": [
        (MOHURD, ["mohurd", "mohurd-gov-cn", "mohurdgovcn"]),
        (SAMR, ["e-cqs", "cnse-samr-gov"]),
        (MEM, ["mem-gov-cn", "memgovcn"]),
    ],
    "pinyin": [
        (
            MEM,
            [
                "yjglb",
                "yjglb-cx",
                "tzzycx",
                "tzzy-chaxun",
                "zhengshu-chaxun",
                "zscx-yjglb",
                "tezhongzuoye-chaxun",
                "tezhongzuoye-cx",
                "yingjiguanlibu",
                "yjglbcx",
                "caozuozheng-chaxun",
                "czz-zscx",
                "tzzy-zscx",
                "anquanshengchan-zscx",
            ],
        ),
        (
            MOHURD,
            [
                "zhujianbu-chaxun",
                "zhujianbu-cx",
                "anquanyuan-chaxun",
                "sanleirenyuan-cx",
                "zjb-zscx",
                "slry-chaxun",
            ],
        ),
        (SAMR, ["tzsb-cx", "tzsb-chaxun", "tezhongshebei-cx", "tzsbzscx", "tezhongshebei-chaxun"]),
    ],
}
# Whole hosts: the official host or domain embedded in a longer one, and swapped gov.cn endings.
LOOKALIKE_HOSTS: dict[str, list[tuple[str, list[str]]]] = {
    "embedded_official_host": [
        (
            MEM,
            [
                f"cx.mem.gov.cn.{w}"
                for w in (
                    "zscx.top",
                    "cert-check.com",
                    "chaxun.vip",
                    "query-center.cn",
                    "yz.xyz",
                    "gov-cn.cc",
                )
            ]
            + [f"mem.gov.cn.{w}" for w in ("cx-center.com", "zs.top", "cha.vip")],
        ),
        (
            MOHURD,
            [
                f"zlaq.mohurd.gov.cn.{w}"
                for w in ("check-cert.top", "fwmh.com", "zs.vip", "cx.xyz", "query.site")
            ]
            + [f"mohurd.gov.cn.{w}" for w in ("zlaq.top", "anquanyuan.com")],
        ),
        (
            SAMR,
            [f"cnse.e-cqs.cn.{w}" for w in ("info-pub.top", "cx.com", "zs.vip", "gs.xyz")]
            + [f"e-cqs.cn.{w}" for w in ("pub.top", "cnse.com")],
        ),
    ],
    "suffix_swap_host": [
        (
            MEM,
            [
                "mem.gov.cn.com",
                "cx.mem.gov.cn.com",
                "cx.mem.gov-cn.vip",
                "cx.mem-gov.cn",
                "cx-mem-gov.cn.com",
                "cx.mem.gov.cn.cn.com",
                "m.cx-mem.gov.cn.com",
            ],
        ),
        (
            MOHURD,
            [
                "mohurd.com.cn",
                "zlaq.mohurd.gov-cn.vip",
                "zlaq.mohurd.com",
                "mohurd.cn.com",
                "zlaq.mohurd-gov.cn",
                "zlaq.mohurd.gov.cn.com",
            ],
        ),
        (
            SAMR,
            [
                "cnse.e-cqs.net",
                "cnse.e-cqs.com",
                "e-cqs.com.cn",
                "cnse-ecqs.com.cn",
                "cnse.e-cqs.cn.com",
                "cnse.samr.gov.cn.com",
            ],
        ),
    ],
    "idn_punycode": [  # homoglyph hosts as they arrive from CT logs and DNS: punycode
        (MEM, ["сх-mem.com", "cx-меm.cn", "cxmеm.top"]),
        (MOHURD, ["mоhurd.com", "zlаq-mohurd.cn"]),
        (SAMR, ["cnse-еcqs.com", "сnse-ecqs.top"]),
    ],
}

# ---- hard negatives ----
PROVINCES = (
    "bj",
    "beijing",
    "sh",
    "tj",
    "cq",
    "hebei",
    "shanxi",
    "ln",
    "jl",
    "hlj",
    "js",
    "jiangsu",
    "zj",
    "zhejiang",
    "ah",
    "fj",
    "fujian",
    "jiangxi",
    "sd",
    "shandong",
    "henan",
    "hubei",
    "hunan",
    "gd",
    "gx",
    "hainan",
    "sc",
    "guizhou",
    "yn",
    "xizang",
    "shaanxi",
    "gansu",
    "qinghai",
    "nx",
    "xj",
    "nmg",
)
CITIES = (
    "sz",
    "gz",
    "xm",
    "nj",
    "wuhan",
    "cd",
    "hangzhou",
    "qd",
    "dl",
    "nb",
    "suzhou",
    "wuxi",
    "jinan",
    "zz",
    "cs",
    "km",
    "nn",
    "hf",
    "fz",
    "sy",
    "hrb",
    "cc",
    "xa",
    "lz",
    "yc",
    "wlmq",
    "ty",
    "sjz",
    "hhht",
    "xining",
    "lasa",
    "haikou",
    "zhuhai",
    "foshan",
    "dg",
)
BUREAUS = (
    "www",
    "yjglj",
    "yjt",
    "zjw",
    "zjt",
    "scjgj",
    "amr",
    "rsj",
    "jyj",
    "gaj",
    "wjw",
    "fgw",
    "czj",
    "sthjj",
    "zrzyj",
    "jtj",
    "slj",
    "swj",
    "cx",
    "zwfw",
    "tjj",
    "mem",
)
NATIONAL = (
    "www.gov.cn",
    "www.mem.gov.cn",
    "www.mohurd.gov.cn",
    "www.samr.gov.cn",
    "www.mps.gov.cn",
    "www.cac.gov.cn",
    "www.moe.gov.cn",
    "www.mohrss.gov.cn",
    "www.nhc.gov.cn",
    "www.miit.gov.cn",
    "www.mee.gov.cn",
    "www.mot.gov.cn",
    "cnse.samr.gov.cn",
    "cx.mem.gov.cn",
    "zlaq.mohurd.gov.cn",
    "cnse.e-cqs.cn",
    "fwmh.zlaq.mohurd.gov.cn",
    "m.cx.mem.gov.cn",
    "zwfw.mohurd.gov.cn",
    "gkml.samr.gov.cn",
    "www.chinatax.gov.cn",
    "www.customs.gov.cn",
    "www.stats.gov.cn",
)
INNOCENT_WORDS = (  # names holding mem, cx, cqs, samr, zlaq-like letters, chaxun, zhengshu …
    "memory",
    "member",
    "members",
    "memo",
    "memes",
    "remember",
    "memorial",
    "memphis",
    "memcache",
    "memtest",
    "mempool",
    "memoria",
    "memento",
    "memex",
    "cxmotors",
    "cxone",
    "cxtech",
    "cxcloud",
    "cxfashion",
    "cxlighting",
    "cxsteel",
    "cxpack",
    "samrat",
    "samra",
    "samridhi",
    "samrudhi",
    "cqsgroup",
    "cqs-consulting",
    "cqstore",
    "zlato",
    "zlatan",
    "mohair",
    "mohawk",
    "mohur",
    "cnsemi",
    "cnsea",
    "cnsec-lab",
    "ecq-ltd",
    "e-cq",
    "kuaidi-chaxun",
    "weizhang-chaxun",
    "shebao-chaxun",
    "gongjijin-chaxun",
    "wuliu-chaxun",
    "chengji-chaxun",
    "tianqi-chaxun",
    "ssl-zhengshu",
    "yingji-wuzi",
    "zhengshu-kuangjia",
    "jianzhu-sheji",
    "anquan-peixun",
    "yingjiyuan",
    "mengniu",
    "meme-generator",
    "xcmg",
    "cmex",
    "mexc",
    "memberpress",
    "smartmem",
    "hotmem",
    "gov-watch",
    "opengov",
    "govtech",
    "cxcoffee",
    "cxgame",
    "cxhome",
    "cx-auto",
    "cx-design",
    "zhujian-jixie",
    "zs-tea",
    "tzzyjs",
    "chaxun",
    "zhengshu",
    "cnse",
    "samrlab",
    "mem-chip",
    "memsic",
    "memblaze",
    "baidu",
    "qq",
    "163",
    "sina",
    "sohu",
    "58",
    "jd",
    "taobao",
    "zhihu",
    "bilibili",
    "csdn",
    "douyin",
    "weibo",
    "ctrip",
    "meituan",
    "dianping",
    "ele",
    "pinduoduo",
    "xiaohongshu",
    "cnki",
    "chsi",
    "12306",
    "chinamobile",
    "10086",
    "icbc",
    "ccb",
    "boc",
    "cmbchina",
    "people",
    "xinhuanet",
    "cctv",
    "chinanews",
    "thepaper",
    "ifeng",
    "huanqiu",
    "gmw",
    "hexun",
    "eastmoney",
    "cnstock",
    "stcn",
    "cls",
    "yicai",
    "36kr",
    "huxiu",
    "ithome",
    "zol",
    "pconline",
    "autohome",
    "bitauto",
    "dongchedi",
    "anjuke",
    "fang",
    "lianjia",
    "ke",
    "ganji",
    "zhaopin",
    "51job",
    "liepin",
    "boss",
    "lagou",
    "kanzhun",
    "tianyancha",
    "qcc",
    "aiqicha",
    "qichacha",
    "xueqiu",
    "jisilu",
    "mafengwo",
    "qunar",
    "tuniu",
    "memoryshop",
    "memberclub",
    "cxpress",
    "cxlogistics",
    "samrtech",
    "mohairknit",
)
# Innocent seeds until issue 10 ruled that a distinctive official label (cnse, e-cqs, mohurd) on
# any suffix, or one edit away from it, is a lookalike; now lookalikes above. They stay in
# INNOCENT_WORDS, skipped there, so the other negatives keep their subdomains and suffixes.
RELABELLED = frozenset({"mohur", "cnsea", "cnsec-lab", "e-cq", "cnse"})
INNOCENT_SUFFIXES = ("com", "cn", "com.cn", "net", "org", "top", "vip", "xyz", "cc", "info")
INNOCENT_SUBDOMAINS = ("", "www.", "m.", "mail.", "shop.", "news.", "api.", "cx.", "member.")


def lookalikes() -> list[tuple[str, str, str, str]]:
    rows = []
    for kind, groups in LOOKALIKE_NAMES.items():
        for target, names in groups:
            rows += [
                (f"{name}.{suffix}", "lookalike", kind, target)
                for name in names
                for suffix in SUFFIXES
                if f"{name}.{suffix}" != "e-cqs.cn"
            ]
    for kind, groups in LOOKALIKE_HOSTS.items():
        for target, hosts in groups:
            if kind == "idn_punycode":
                hosts = [host.encode("idna").decode("ascii") for host in hosts]
            rows += [(host, "lookalike", kind, target) for host in hosts]
            rows += [
                (f"www.{host}", "lookalike", kind, target)
                for host in hosts
                if not host.startswith(("mem.", "mohurd.", "e-cqs.", "samr."))
            ]
    return rows


def negatives() -> list[tuple[str, str, str, str]]:
    hosts = list(NATIONAL)
    hosts += [f"{bureau}.{province}.gov.cn" for province in PROVINCES for bureau in BUREAUS]
    hosts += [f"{bureau}.{city}.gov.cn" for city in CITIES for bureau in BUREAUS[:12]]
    rows = [(host, "negative", "government", "") for host in hosts]
    rows += [
        (f"{sub}{word}.{suffix}", "negative", "innocent", "")
        for index, word in enumerate(INNOCENT_WORDS)
        for position, suffix in enumerate(INNOCENT_SUFFIXES)
        for sub in (INNOCENT_SUBDOMAINS[(index + position) % len(INNOCENT_SUBDOMAINS)],)
        if (position < 6 or index % 2) and word not in RELABELLED
    ]
    return rows


def main() -> None:
    rows = list(dict.fromkeys(lookalikes() + negatives()))
    out = Path(__file__).with_name("lookalike_domains.tsv")
    header = [
        "# Labelled domains for tests/test_domains.py, written by make_lookalike_domains.py "
        "(edit the seeds there, then rerun it).",
        "domain\tlabel\tkind\ttarget",
    ]
    out.write_text("\n".join(header + ["\t".join(row) for row in rows]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
