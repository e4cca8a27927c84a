"""The filing numbers a Chinese site shows, usually in its footer: ICP 备案号 and 公安备案号.

Every site hosted in mainland China must show its ICP filing (京ICP备12345678号-1, or an ICP
经营许可证 京ICP证030173号) and most show a 公安机关备案号 (京公网安备11010502030143号). A lookalike
copies the official site's numbers with its footer; a throwaway site makes one up. The numbers are
read from folded text, so full-width letters and digits (京ＩＣＰ备１２３…), traditional script
(公網安備) and spaces (京 ICP 备 1234 5678 号) read the same, and are written back in one
canonical form, the one the official sites print.

The format check is what can be checked offline, and only that: the province abbreviation is
known; an ICP 备 number has 8 digits (two-digit year + 6) or 10 (four-digit year + 6), an ICP 证
number 6; a 公安备案 number has 14 digits (12 in older ones) and its first two digits are the
administrative-area code (GB/T 2260) of the same province. Whether digits 3–6 name a real city and
district, and whether the number is filed at all (beian.miit.gov.cn, beian.mps.gov.cn), needs the
registries online and is NOT checked here. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from leads.judge.normalize import fold

# Province abbreviation (both spellings where the ICP and the police use different ones:
# 蜀/川, 黔/贵, 滇/云, 陇/甘) → province and the first two digits of its area codes.
PROVINCES: dict[str, tuple[str, str]] = {
    "京": ("北京市", "11"), "津": ("天津市", "12"), "冀": ("河北省", "13"), "晋": ("山西省", "14"),
    "蒙": ("内蒙古自治区", "15"), "辽": ("辽宁省", "21"), "吉": ("吉林省", "22"),
    "黑": ("黑龙江省", "23"), "沪": ("上海市", "31"), "苏": ("江苏省", "32"),
    "浙": ("浙江省", "33"),
    "皖": ("安徽省", "34"), "闽": ("福建省", "35"), "赣": ("江西省", "36"), "鲁": ("山东省", "37"),
    "豫": ("河南省", "41"), "鄂": ("湖北省", "42"), "湘": ("湖南省", "43"), "粤": ("广东省", "44"),
    "桂": ("广西壮族自治区", "45"), "琼": ("海南省", "46"), "渝": ("重庆市", "50"),
    "蜀": ("四川省", "51"), "川": ("四川省", "51"), "黔": ("贵州省", "52"), "贵": ("贵州省", "52"),
    "滇": ("云南省", "53"), "云": ("云南省", "53"), "藏": ("西藏自治区", "54"),
    "陕": ("陕西省", "61"), "甘": ("甘肃省", "62"), "陇": ("甘肃省", "62"), "青": ("青海省", "63"),
    "宁": ("宁夏回族自治区", "64"), "新": ("新疆维吾尔自治区", "65"),
}
ICP_DIGITS = {"备": (8, 10), "证": (6,)}
POLICE_DIGITS = (12, 14)
HTML_TAG = re.compile(r"<[^>]*>")
# Where a number may stand, before folding (full-width ＩＣＰ and traditional 公網安備 too), and how
# far around it: the province abbreviation before, the digits, 号 and "-1" after.
HINT = re.compile(r"[iIｉＩ][cCｃＣ][pPｐＰ]|公[网網]安[备備]")  # faster than IGNORECASE
WINDOW_BEFORE, WINDOW_AFTER = 6, 60
# On folded text (lower case, NFKC, simplified): the abbreviation right before "icp" or 公网安备,
# digits with spaces allowed, 号, and an ICP number's site suffix (-1).
DIGITS = r"(?P<digits>\d[\d ]{2,16}\d)\s*号?"
ICP = re.compile(rf"(?P<abbr>[\u4e00-\u9fff])\s*icp\s*(?P<kind>[备证])\s*{DIGITS}"
                 r"(?:\s*-\s*(?P<site>\d{1,3}))?(?!\d)")
POLICE = re.compile(rf"(?P<abbr>[\u4e00-\u9fff])\s*公网安备\s*{DIGITS}(?!\d)")
MAX_CHARS = 300_000
SIGNAL_PREFIX = "identifier:"  # verdict signal per number shown: 1.0 format ok, 0.0 not
KIND_NAMES = {"icp": "ICP 备案号", "police": "公安备案号"}


@dataclass(frozen=True)
class PageIdentifier:
    """One filing number a page shows, in canonical form, with its offline format check."""

    kind: str  # "icp" | "police"
    number: str  # 京ICP备12345678号-1, 京公网安备11010502030143号
    province: str  # 北京市; "" when the abbreviation is no province's
    problem: str  # "" when the format check passes, else why not (Chinese)

    @property
    def filing(self) -> str:
        """The number without the site's "-1": the filing of the site's owner."""
        return self.number.rsplit("号-", 1)[0] + "号" if "号-" in self.number else self.number


def _icp(found: re.Match[str]) -> PageIdentifier:
    abbr, kind, digits = found["abbr"], found["kind"], found["digits"].replace(" ", "")
    number = f"{abbr}ICP{kind}{digits}号" + (f"-{found['site']}" if found["site"] else "")
    province, _ = PROVINCES.get(abbr, ("", ""))
    allowed = ICP_DIGITS[kind]
    if not province:
        problem = f"“{abbr}”不是省级行政区简称"
    elif len(digits) not in allowed:
        problem = f"ICP{kind}号应为{'或'.join(map(str, allowed))}位数字，此处{len(digits)}位"
    else:
        problem = ""
    return PageIdentifier("icp", number, province, problem)


def _police(found: re.Match[str]) -> PageIdentifier:
    abbr, digits = found["abbr"], found["digits"].replace(" ", "")
    province, code = PROVINCES.get(abbr, ("", ""))
    if not province:
        problem = f"“{abbr}”不是省级行政区简称"
    elif len(digits) not in POLICE_DIGITS:
        problem = f"公安备案号应为{'或'.join(map(str, POLICE_DIGITS))}位数字，此处{len(digits)}位"
    elif not digits.startswith(code):
        problem = f"前6位行政区划代码 {digits[:6]} 不属于{province}（应以 {code} 开头）"
    else:
        problem = ""
    return PageIdentifier("police", f"{abbr}公网安备{digits}号", province, problem)


def identifiers_in(folded: str) -> tuple[PageIdentifier, ...]:
    """The ICP and 公安备案 numbers in folded text (``normalize.fold``), each once."""
    found = [_icp(match) for match in ICP.finditer(folded)]
    found += [_police(match) for match in POLICE.finditer(folded)]
    return tuple({identifier.number: identifier for identifier in found}.values())


def _around_hints(text: str) -> list[str]:
    """The stretches of ``text`` around each "ICP" / 公网安备, folded: folding a whole page
    costs tens of milliseconds, a footer line almost nothing."""
    return [
        fold(text[max(0, hint.start() - WINDOW_BEFORE):hint.end() + WINDOW_AFTER])
        for hint in HINT.finditer(text)
    ]


def read_identifiers(text: str, html: str = "") -> tuple[PageIdentifier, ...]:
    """The numbers a page shows in its visible text or its HTML (a footer the text lost)."""
    stretches = _around_hints(text[:MAX_CHARS])
    if html:
        stretches += _around_hints(HTML_TAG.sub(" ", html[:MAX_CHARS]))
    return identifiers_in("\n".join(stretches))


def canonical_filings(numbers: list[str] | tuple[str, ...], where: str) -> tuple[str, ...]:
    """Official numbers (platforms.toml) as filings; ValueError for one that does not read."""
    filings = []
    for number in numbers:
        read = identifiers_in(fold(str(number)))
        if len(read) != 1:
            raise ValueError(f"{where}: not an ICP or 公安备案 number: {number!r}")
        filings.append(read[0].filing)
    return tuple(filings)


def identifier_signals(identifiers: tuple[PageIdentifier, ...]) -> dict[str, float]:
    """One verdict signal per number shown (``identifier:京ICP备…号``): 1.0 when its format
    check passes, 0.0 when not. They weigh nothing; a copied official number is scored by
    ``page_identity`` (``page.identifier_copy``)."""
    return {SIGNAL_PREFIX + i.number: 0.0 if i.problem else 1.0 for i in identifiers}


def identifiers_of(signals: Mapping[str, float]) -> tuple[str, ...]:
    """The numbers recorded in a verdict's signals, those failing the format check marked."""
    return tuple(
        name.removeprefix(SIGNAL_PREFIX) + ("" if value else "（格式不符）")
        for name, value in signals.items() if name.startswith(SIGNAL_PREFIX)
    )


def format_reasons(identifiers: tuple[PageIdentifier, ...]) -> tuple[str, ...]:
    """'页面所示 ICP 备案号 … 格式不符：…' for each number failing the offline check."""
    return tuple(
        f"页面所示 {KIND_NAMES[i.kind]} {i.number} 格式不符：{i.problem}"
        for i in identifiers if i.problem
    )


def kind_name(number: str) -> str:
    """What a shown or official number is, for a reason: ICP 备案号, 公安备案号, 网站标识码."""
    if "公网安备" in number:
        return KIND_NAMES["police"]
    return KIND_NAMES["icp"] if "ICP" in number else "网站标识码"
