"""Respell what fold() cannot undo without context: homophones of one character and pinyin.

fold() maps whole spellings (evasion_variants.tsv: 电工正 → 电工证). Sellers put a homophone for
one character of any word (焊工症, 扮下来, 布用, 可察, 包锅), or write the words in pinyin (kaoshi,
bao guo, 不用kao), and only the neighbours say which word is meant. This is its own module because
it is a pass of its own: the text scorer respells the folded text once, before any matching, and
every other part of the scorer reads the respelled text. The one-character rules live in
``leads.judge.text_homophones``; the pinyin reading is here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache, partial

from keywords.pinyin_words import read_pinyin_entries, read_pinyin_words
from leads.judge.normalize import CJK, PINYIN_SYLLABLE, SEPARATOR_INSIDE_WORD
from leads.judge.text_homophones import respell_homophones
from leads.judge.text_sounds import restore_sound_alikes

CJK_CHARACTER = re.compile(f"[{CJK}]")
LATIN_LETTER = re.compile("[a-z]")
LATIN_WORD = re.compile("[a-z]+")

# Pinyin a seller writes for the words that matter (kaoshi, bao guo, ke cha, mian kao, 不用kao):
# an ASCII run (words joined by single spaces) that splits wholly into these syllable words
# becomes the characters. Runs next to digits, "_", "-" or "@" are ids and stay.
PINYIN_WORDS: Mapping[str, str] = {
    "zheng": "证", "kao": "考", "cha": "查", "guo": "过", "ban": "办", "mian": "免", "bao": "包",
    "dai": "代", "ti": "替", "na": "拿", "ke": "可", "neng": "能", "bu": "不", "wu": "无",
    "kaoshi": "考试", "kaohe": "考核", "mianshi": "免试", "tongguo": "通过", "buyong": "不用",
    "xuyao": "需要", "buxu": "不需", "wuxu": "无需", "yong": "用", "kecha": "可查", "keyi": "可以",
    "chaxun": "查询", "chadao": "查到", "chade": "查得", "wangshang": "网上", "guanwang": "官网",
    "shangwang": "上网", "lianwang": "联网", "wangluo": "网络", "quanguo": "全国", "guojia": "国家",
    "xitong": "系统", "guanfang": "官方", "pingtai": "平台", "nazheng": "拿证",
    "xiazheng": "下证", "chuzheng": "出证", "fazheng": "发证", "banzheng": "办证",
    "banli": "办理", "daiban": "代办", "daikao": "代考", "tikao": "替考", "benren": "本人",
    "daochang": "到场", "kaochang": "考场", "peixun": "培训", "xuexi": "学习", "shangke": "上课",
    "zhengshu": "证书", "zhengjian": "证件", "diangong": "电工", "hangong": "焊工",
    "dianhan": "电焊", "chache": "叉车", "denggao": "登高", "gaochu": "高处", "gaokong": "高空",
    "tadiao": "塔吊", "anquanyuan": "安全员", "tezhong": "特种", "zuoye": "作业",
    "caozuo": "操作", "jiaoqian": "交钱", "fukuan": "付款", "fuqian": "付钱", "zhijie": "直接",
    "kuaisu": "快速", "jiaji": "加急", "baozhen": "保真", "baozheng": "保证", "neibu": "内部",
    "qudao": "渠道", "yongjiu": "永久", "zhenshi": "真实", "youxiao": "有效", "baoguo": "包过",
    "miankao": "免考", "nengcha": "能查", "shi": "试",
    # the words around them in chat (ren bu yong lai, fang xin, keyi mai, huaqian, sao erweima)
    "ren": "人", "ni": "你", "wo": "我", "women": "我们", "nimen": "你们", "qu": "去", "lai": "来",
    "mai": "买", "maizheng": "买证", "qian": "钱", "huaqian": "花钱", "jiao": "交",
    "fangxin": "放心", "quanbao": "全包", "sao": "扫", "saoma": "扫码", "erweima": "二维码",
    "shenfenzheng": "身份证", "zhaopian": "照片", "ziliao": "资料", "zhileng": "制冷",
    "gelei": "各类", "gezhong": "各种", "heyan": "核验", "yanzheng": "验证", "chengji": "成绩",
    "gongyou": "工友", "ben": "本", "benzi": "本子", "laoban": "老板", "sixin": "私信",
    "siliao": "私聊", "lianxi": "联系", "weixin": "微信", "jiage": "价格", "shou": "收",
    "fei": "费", "shoufei": "收费", "guan": "管", "benyue": "本月", "luru": "录入",
    "mingzi": "名字", "xinxi": "信息", "dangan": "档案", "youren": "有人", "guanxi": "关系",
    "menlu": "门路", "daan": "答案", "zhenti": "真题", "shanggang": "上岗", "yao": "要",
    "you": "有", "meiyou": "没有", "dou": "都", "jiu": "就", "xiazai": "下载", "kuai": "快",
    "zige": "资格", "dianhua": "电话", "shouji": "手机", "haoma": "号码", "jia": "加",
    "xueli": "学历", "zhenzheng": "真证", "xian": "先", "hou": "后", "kuan": "款",
    "daofu": "到付", "yizhou": "一周", "tian": "天", "zhou": "周", "gongzuori": "工作日",
    "zhuanye": "专业", "chengxin": "诚信", "youhui": "优惠", "pianyi": "便宜",
    # chat's little words, so a pinyin sentence decodes around the words that matter
    # (ni de hangong zheng xia lai le: 你的焊工证下来了); alone they stay as written
    "de": "的", "le": "了", "ma": "吗", "xia": "下", "xialai": "下来", "chulai": "出来",
    "chu": "出", "shang": "上", "wang": "网", "xiang": "想", "buxiang": "不想", "zenme": "怎么",
    "zhao": "找", "zhaowo": "找我", "hao": "好", "fa": "发",
    "ji": "寄", "dao": "到", "shoudao": "收到", "weikuan": "尾款", "dingjin": "定金",
    "xing": "行", "yiqi": "一起", "banhao": "办好", "wangzhi": "网址", "gei": "给",
    "kaoqian": "考前", "buliao": "不了", "guobuliao": "过不了", "doushi": "都是", "jiade": "假的",
    "buyao": "不要", "shangdang": "上当", "tixing": "提醒", "pianzi": "骗子", "xiaoxin": "小心",
    "shebei": "设备", "renyuan": "人员", "sanlei": "三类", "pengyou": "朋友", "siwo": "私我",
    "yijing": "已经", "meiwenti": "没问题", "zhuanqian": "转钱", "yixia": "一下",
    "shuru": "输入", "jike": "即可", "nin": "您", "tongbu": "同步", "yu": "与",
    "shenfenzhenghao": "身份证号", "jiban": "急办", "bukao": "不考", "meiguo": "没过",
    "zhuye": "主页", "kan": "看", "zuo": "做", "tiqian": "提前", "yuanti": "原题",
    "shuo": "说", "kaopu": "靠谱", "dangtian": "当天", "dangyue": "当月", "tijian": "体检",
    "jiri": "即日", "biye": "毕业", "jiashi": "驾驶", "daishenfenzheng": "带身份证",
    "daishang": "带上", "xiedai": "携带", "meiti": "媒体", "diaocha": "调查", "guanggao": "广告",
    "mingtian": "明天", "jintian": "今天", "zhuanzhang": "转账", "touxiang": "头像",
    "kuaidi": "快递", "yizhanshi": "一站式", "fuwu": "服务", "houfu": "后付", "zaifu": "再付",
    "zaizhuan": "再转", "zaizhuanzhang": "再转账", "yiben": "一本", "santian": "三天",
    "qitian": "七天", "wutian": "五天", "dongde": "懂的", "dongdelai": "懂的来", "gaoding": "搞定",
    "riqi": "日期", "gengxin": "更新", "xuexiao": "学校", "huixuexiao": "回学校",
    "huifu": "恢复", "koumanfen": "扣满分", "yangzi": "样子", "zhuanrang": "转让", "fushen": "复审",
    "xuyaode": "需要的", "douneng": "都能", "doukeyi": "都可以", "yanqi": "延期", "weihua": "危化",
    "yejin": "冶金", "zhongji": "中级", "gaoji": "高级", "lunwen": "论文", "gaoya": "高压",
    "diya": "低压", "shenfen": "身份", "pianju": "骗局", "bukeneng": "不可能",
    "cheguansuo": "车管所", "anpai": "安排", "chongxin": "重新", "bukecha": "不可查",
    "jiancha": "检查", "ruanjian": "软件", "dayin": "打印",
}


@cache
def _pinyin_vocabulary() -> tuple[Mapping[str, str], int]:
    """The hand-kept words above and the generated ones (keywords/pinyin_words.tsv: every
    certificate name, sales phrase, concept and context word of the library); where both spell a
    word, the hand-kept one wins (bukao is 补考 in the library, 不考 in a seller's chat). With the
    longest spelling's length."""
    words = {**read_pinyin_words(), **PINYIN_WORDS}
    return words, max(map(len, words))


PINYIN_RUN = re.compile(r"(?<![a-z0-9_@\-])[a-z]{2,}(?: [a-z]{2,})*(?![a-z0-9_@\-])")
PINYIN_SYLLABLES = re.compile(f"(?:{PINYIN_SYLLABLE})+")  # a word that could be pinyin at all
ONE_SYLLABLE = re.compile(PINYIN_SYLLABLE)
CARD, CARD_SYLLABLE = "证", "zheng"
PINYIN_RUN_WORDS = 8  # a longer run is a sentence of some other language, read word by word
PINYIN_SPAN_WORDS = 12  # the longest word read from a run, in syllables (特种设备作业人员证: 9)
# Reading in spans tries up to PINYIN_SPAN_WORDS splits at every word: a text with more words
# than this is no chat line but a page of syllables (a hostile "ba ba ba…" took 10 s), read word
# by word.
PINYIN_SPAN_RUN_WORDS = 300
PINYIN_WORD_CACHE = 1 << 14  # spellings remembered with what they spell
PINYIN_SHARE = 0.8  # a run with fewer syllable-shaped words is some other language
# Pinyin with tone numbers (ban4 zheng4, mian3kao3): a word made only of syllables each with its
# digit loses the digits; ids keep theirs (dgz2024 is no syllable run).
TONED_PINYIN = re.compile(
    rf"(?<![a-z0-9_@\-])(?=[a-z]{{2}})(?:{PINYIN_SYLLABLE.removesuffix('[1-5]?')}[1-5])+"
    r"(?![a-z0-9_@\-])"
)
TONE_DIGIT = re.compile("[1-5]")
TONE_NUMBER_CHARS = frozenset("12345")


@lru_cache(maxsize=PINYIN_WORD_CACHE)
def _pinyin_word(run: str) -> str | None:
    """The characters a run of pinyin syllables (no spaces) spells, or None when it does not
    split wholly into known words (fewest pieces, so kaoshi is 考试, not 考 + 试). Remembered: a
    page repeats its spellings, and reading in spans asks for the same ones again and again (a
    hostile page of short syllable runs cut by 证 took 8 s)."""
    return _split(run, *_pinyin_vocabulary())


def _split(run: str, vocabulary: Mapping[str, str], longest: int) -> str | None:
    """``run`` split into the fewest words of ``vocabulary``, as characters; None if it cannot
    be split wholly."""
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - longest), end):
            word = vocabulary.get(run[start:end])
            previous = best[start]
            if word and previous is not None and (
                best[end] is None or len(previous) + 1 < len(best[end])  # type: ignore[arg-type]
            ):
                best[end] = [*previous, word]
    found = best[len(run)]
    return "".join(found) if found else None


def _pinyin(match: re.Match[str], by_word: bool = False) -> str:
    """A single syllable becomes a character only right next to one (kao试, 电工zheng): on its
    own it may be an English word (ban, na); whole words of two syllables or more always do.
    Words that are not pinyin at all (the, quick) are skipped by one regex, so English pages
    cost little."""
    run, text = match.group(0), match.string
    parts = run.split(" ")
    if not any(PINYIN_SYLLABLES.fullmatch(part) for part in parts):
        return run
    one_character = _character_in_word(parts, text, match.start(), match.end())
    if one_character:
        return one_character
    if text[match.end() : match.end() + 1] == CARD:
        # folding already made the card's zheng a 证 (jia shi 证): read the run with it
        with_card = _pinyin_run([*parts, CARD_SYLLABLE], True, by_word)
        if with_card.endswith(CARD) and not with_card.endswith(CARD_SYLLABLE):
            return with_card[: -len(CARD)].rstrip(" ")
    touching = CJK_CHARACTER.match(text[match.start() - 1 : match.start()] or " ") or (
        CJK_CHARACTER.match(text[match.end() : match.end() + 1] or " ")
    )
    return _pinyin_run(parts, bool(touching), by_word)


def _character_in_word(parts: list[str], text: str, start: int, end: int) -> str | None:
    """A lone syllable between the other characters of a library word (安全yuan证, 复shen,
    pei训) is that word's character; the longest word that fits around it wins."""
    if len(parts) != 1:
        return None
    fitting = [
        (len(before) + len(after), character)
        for before, character, after in _syllables_in_words().get(parts[0], ())
        if text.startswith(after, end) and text.endswith(before, 0, start)
    ]
    return max(fitting)[1] if fitting else None


@cache
def _syllables_in_words() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Syllable → (characters before, its character, characters after) in each library word
    (keywords/pinyin_words.tsv) that has it."""
    spelled = [(entry.pinyin.split(" "), entry.word) for entry in read_pinyin_entries()]
    spelled += [(_syllables(joined, len(word)), word) for joined, word in PINYIN_WORDS.items()]
    found: dict[str, list[tuple[str, str, str]]] = {}
    for syllables, word in spelled:
        for position, syllable in enumerate(syllables or ()):
            found.setdefault(syllable, []).append(
                (word[:position], word[position], word[position + 1 :])
            )
    return {syllable: tuple(places) for syllable, places in found.items()}


def _syllables(joined: str, count: int) -> list[str] | None:
    """``joined`` (shangke) split into ``count`` pinyin syllables (shang, ke), if it can be."""
    if count == 0:
        return [] if not joined else None
    for length in range(min(6, len(joined)), 0, -1):
        if ONE_SYLLABLE.fullmatch(joined[:length]):
            rest = _syllables(joined[length:], count - 1)
            if rest is not None:
                return [joined[:length], *rest]
    return None


def _pinyin_run(parts: list[str], touching: bool, by_word: bool) -> str:
    whole = _pinyin_word("".join(parts)) if len(parts) <= PINYIN_RUN_WORDS else None
    if whole and (len(whole) > 1 or touching):
        return whole
    return " ".join(_pinyin_spans(parts, by_word))


def _pinyin_spans(parts: list[str], by_word: bool) -> list[str]:
    """A run that does not decode whole, read in spans: the longest span of two words or more
    that decodes becomes characters (ke yi shang wang cha le: 可以上网查 le), a word of two
    syllables or more alone too (kaoshi), any other word stays. Only in a run mostly made of
    syllables and of chat length: an English sentence (you can go) and a page of syllables are
    read word by word (``by_word``: the text as a whole holds more than PINYIN_SPAN_RUN_WORDS
    words, in one run or cut into many by the 证 that folding made of zheng)."""
    syllables = sum(1 for part in parts if PINYIN_SYLLABLES.fullmatch(part))
    if syllables < PINYIN_SHARE * len(parts) or by_word:
        return [word if word and len(word) > 1 else part for part, word in (
            (part, _pinyin_word(part) if PINYIN_SYLLABLES.fullmatch(part) else None)
            for part in parts)]
    pieces: list[str] = []
    start = 0
    while start < len(parts):
        for end in range(min(len(parts), start + PINYIN_SPAN_WORDS), start, -1):
            word = _pinyin_word("".join(parts[start:end]))
            if word and (end - start > 1 or len(word) > 1):
                pieces.append(word)
                break
        else:
            end = start + 1
            pieces.append(parts[start])
        start = end
    return pieces


def respell(folded: str) -> str:
    """Folded text with context-dependent homophones, sound-alike spellings of whole library
    words (``leads.judge.text_sounds``) and pinyin words written in characters."""
    folded = restore_sound_alikes(respell_homophones(folded))
    if LATIN_LETTER.search(folded):
        if TONE_NUMBER_CHARS.intersection(folded):
            folded = TONED_PINYIN.sub(lambda match: TONE_DIGIT.sub("", match.group(0)), folded)
        by_word = len(LATIN_WORD.findall(folded)) > PINYIN_SPAN_RUN_WORDS
        spelled = PINYIN_RUN.sub(partial(_pinyin, by_word=by_word), folded)
        if spelled != folded:
            folded = SEPARATOR_INSIDE_WORD.sub("", spelled)
    return folded
