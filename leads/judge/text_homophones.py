"""One-character homophones, read by their neighbours: 焊工症 is 焊工证, 扮下来 办下来, 可察 可查,
包锅 包过 — but 正常, 烤肉, 包裹 and 我扮演 stay as written.

A seller puts a homophone for one character of any word, and only the characters around it say
which word is meant. The rules below are applied in stages by ``respell_homophones``, the first
step of ``leads.judge.text_respell.respell``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from keywords.regex_factors import first_characters, with_first_characters

# One character is respelled where its neighbours say which word it stands for: 正/征/政/症 is
# 证 after a trade or a verb of getting papers (工, 业, 岗, 拿, 下, 出…) or before 书/件, never in
# 正规/正常/正在; 烤/拷 is 考 before 试/核/证/过 or after 免/代/不用/去…; 茬/察/茶 is 查 after
# 可/能/网上… or before 询/到.
# Each rule swaps one character for one, so positions (and the contacts found in the folded
# text) stay where they are.
# Rules by stage: (canonical, the characters that may stand for it, where: a pattern with {C}
# for them). A stage is one pass of all its rules at once; a later stage sees what earlier ones
# respelled (扮正: 办 first, then 正 after 办 is 证; 科茶: 可 first, then 茶 after 可 is 查).
# Within a stage no character stands in two rules, so the order of its rules does not matter.
HOMOPHONE_RULES: tuple[tuple[tuple[str, str, str], ...], ...] = (
    (  # first: what later rules look at (可, 官, 办, 考) and whole words (操作, 叉车, 登高)
        ("可", "科克颗棵",
         r"{C}(?=[查茬察茶])"),
        ("官", "关管观馆宫",
         r"{C}(?=网[^。!?;\n,]{0,4}[查验])"),
        ("办", "半扮伴瓣拌绊般板扳为",
         r"[半扮伴瓣拌绊般板扳](?=证|理|下来|好的|个证)|[半扮伴瓣拌绊般扳](?=[正征政症])"
         r"|(?<![开鲜插送献])花(?=证)"
         r"|(?<=[代快速能可包找帮急来以业])[半扮伴瓣拌绊般](?![价个年天夜小岛演时斤路截边])"
         r"|(?<=直接)[半扮伴瓣拌绊般](?![娘侣随奏])|(?<=全)[半拌绊](?![价])|(?<=补)[半拌扳](?![价年天夜])|(?<=一起)[拌半](?![面饭菜匀着])|(?<=找人)[半扮伴瓣拌绊](?=的|了)"
         r"|(?<=找我|帮我|给我|帮你|给你|替你)[半扮伴拌](?![演相装成酷])"
         r"|(?<=先)[半扮伴瓣拌绊般板扳](?=后)|(?<=找人)为(?=的|了)"
         # 为 looks like 办: 为证, 为理, 代为各类…证 (never 作为证据, 以此为证)
         r"|(?<![作以成认视称因行更最较极此])为(?=[证正讧]|理(?![由念论想解财]))|(?<=代)为(?=各类|各种|[^,。!?;\n]{0,4}[证讧])"),
        ("考", "烤拷栲孝巧",
         r"{C}(?=[试核证过场]|科目)|(?<=[免代替用去别没报来难要不你想带新]){C}(?![肉鸭鱼串箱炉贝红面的芝蛋饼布盘])"
         r"|(?<=[跟和与]){C}(?=的|出来)|(?<=自己)烤(?=[,.!?。 ]|$|了)"),
        ("考", "靠",
         r"{C}(?=试)|(?<![依全只就都要得可倚停不])靠(?=[证正](?!据|明|实|人))"
         r"|(?<=[免用不])靠(?=[,.!?。、 ]|$|了)|靠(?=都不用[靠考](?:[,.!?。、 ]|$))"),
        ("作", "做",
         r"(?<=操){C}(?=[证正征政症])|(?<=[种高空处肿钟]){C}(?=业(?!务|主|绩|余|内)|[叶页夜])"),
        ("叉", "插差茶查",
         r"{C}(?=车[证正征政症])|插(?=[车扯])"),
        ("车", "扯彻撤",
         r"(?<=[叉插]){C}"),
        ("岗", "刚钢",
         r"(?<=上){C}(?=[证正征政症])"),
        ("吊", "掉钓调",
         r"(?<=塔){C}"),
        ("高", "膏糕搞",
         r"(?<=登){C}|[糕膏](?=处)"),
        # 攻/功 for 工 after a trade's first characters (焊攻, 电攻, 架子攻, 信号攻, 锅炉攻)
        ("工", "攻功公",
         r"(?<=[焊电子号炉汗旱点店垫殿])[攻功](?![击略打势])"
         r"|(?<=[电点店垫殿焊])公(?![司路园开告共平众布交主安务款积益])"),
        ("全", "权泉拳",
         r"(?<=安){C}(?=员)"),
        ("案", "按暗岸",
         r"(?<=答){C}"),
        ("课", "克棵颗",
         r"(?<=[上听]){C}"),
        ("登", "灯蹬瞪",
         r"{C}(?=高[证正征政症])"),
        ("种", "钟肿仲众",
         r"(?<=特){C}(?=[设作业证正做])"),
        # papers and their trades (学力 is 学历 unless 同等学力, a lawful degree route)
        ("历", "力立利厉",
         r"(?<!同等学)(?<=学){C}(?![习气量度])"),
        ("称", "撑秤成",
         r"(?<=职){C}"),
        ("健", "建见件",
         r"{C}(?=康[证正征政症])"),
        ("下", "夏吓",
         r"{C}(?=[证正征政症])"),
        ("人", "仁",
         r"(?<=本){C}"),
        ("刻", "课克客",
         r"{C}(?=[章张])"),
        ("章", "张樟彰漳",
         r"(?:(?<=[公私刻])|(?<=合同|财务|法人|发票|发漂)){C}"),
        ("票", "漂飘",
         r"(?<=发){C}(?![粉剂膏染白])"),
        ("学", "雪穴",
         r"{C}(?=信网)"),
        ("筑", "竹",
         r"(?<=建){C}(?=[特工施])"),
        ("号", "浩好豪耗",
         r"(?<=信){C}(?=工)"),
        ("重", "众中",
         r"(?<=起){C}(?=[机吊设])"),
        ("部", "布步不",
         r"(?<=内)[布步](?![衣料置])|(?<=内)不(?=人员|渠道|关系|名额)"),
        ("子", "纸仔",
         r"(?<=骗){C}"),
        ("场", "常厂",
         r"(?<=考){C}(?![规识态见])"),
        ("信", "迅",
         r"(?<=私){C}|(?<=学)性(?=网)"),
        ("统", "桶筒捅",
         r"(?<=系){C}"),
        ("照", "找罩",
         r"(?<=驾){C}"),
        ("片", "骗",
         r"(?<=照){C}(?=[发给传,、 ]|$)"),
        ("份", "分",
         r"(?<=身){C}(?=[证正征政症号])"),
        ("员", "原元圆园",
         r"(?<=安全){C}(?![因则来始本])|(?<=类人)[圆原园猿]"),
        ("训", "巛川驯",
         r"(?<=培){C}"),
        ("师", "丝狮诗",
         r"(?<=建造){C}"),
        ("安", "桉鞍氨",
         r"{C}(?=全员|管人员|全证|全生产|全[本证正])"),
        ("防", "房",
         r"(?<=消){C}(?=[设证员正])"),
        ("体", "题提",
         r"{C}(?=检)"),
        ("位", "伟卫",
         r"(?<=学){C}(?=[证正])"),
        ("码", "马吗玛",
         r"(?<=扫){C}(?!路)"),
        ("驾", "架",
         r"{C}(?=照|[使驶始][证照本正])"),
        ("驶", "使始史",
         r"(?<=[驾架]){C}(?=[证照本正])"),
        ("制", "至治志致",
         r"{C}(?=冷[证本正工作])|(?<!品)质(?=冷)"),
        ("锅", "过果",
         r"{C}(?=炉(?![温后前子]))"),
        ("责", "则泽择",
         r"(?<=负){C}(?=人)"),
        ("力", "历立利",
         r"(?<=压){C}(?=容器)"),
        ("处", "楚础储触粗",
         r"(?<=[高糕膏]){C}(?=作业|[证本正])"),
        ("话", "花画化",
         r"(?<=电){C}(?=[: ]?[0-9]|同?号)"),
        ("刻", "可课客克",
         r"(?<=[另承接])可(?=章)|[课客克科](?=章(?![节程]))"),
        ("到", "倒",
         r"{C}(?=场(?!地))"),
        ("康", "糠慷",
         r"(?<=健){C}(?=[证正])"),
        ("检", "捡减简",
         r"(?<=体)捡|(?<=[用免去做需]体)[减简]"),
        ("毕", "必闭币碧",
         r"{C}(?=业[证正政征症])"),
        ("联", "连",
         r"{C}(?=系(?!列|统))"),
        ("备", "倍被背贝",
         r"(?<=特种设)[倍被背贝]|(?<=设)倍"),
        ("问", "吻闻",
         r"{C}(?=客服)"),
        ("加", "佳嘉",
         r"{C}(?=急)|嘉(?=我|[微薇威v])|家(?=[微薇威]信?[:：]|v)"),
        ("理", "里",
         r"(?<=[办代]){C}(?![面头边外])"),
    ),
    (  # then what stands next to those (证 after 办, 查 after 可, 试 after 考)
        ("证", "正征政症挣睁铮诤郑讧怔蒸",
         r"(?<=[工车业格岗员高吊炉梯冷种办拿下出发领取弄假本作操个给那考张这等份收保驶历称康位挥索做套处器焊驾备]){C}"
         r"(?![规常在确式好面宗品版义经是派直视月午事道能门方负文向点房装]|当(?![天月日]))"
         r"|{C}(?=[书件])|(?<=先看){C}(?=[后再])|(?<=要){C}(?=的话)"
         r"|(?<=维修|机械)[正征政](?![在常确式规好面])|(?<=[类种开])正(?=明)"
         r"|(?<=司机|空调|高空|架子|司索|信号)[正政](?![在常确式规好面])"
         r"|(?<=的){C}(?=[跟和与能可都也,。!?;]|$)"),
        ("试", "式事是室",
         r"(?<=[考免]){C}"),
        ("查", "茬察茶碴楂渣擦",
         r"(?<=[可能网上以都就时久身验得一包保])[茬察茶碴楂渣](?![叶水馆杯道])"
         r"|(?<=可)擦(?![写除洗拭掉])|(?<=[可能站去])叉(?![车烧子腰])|叉(?=[到得]了|不到)|[茬察茶碴楂渣](?=[询到得验]|不到|不出)|(?<=[书证])差(?=询)|(?<=先)[茶察茬差](?=后)|(?<=可)差(?![遣使别])|(?<=能)差(?=到(?![哪这那极])|得到)"
         r"|(?<=[可能])插(?!拔|入|座|头|件|卡|上|电|花|队|嘴)|(?<=[网站统库])插(?=[到得询])"),
        ("过", "锅果郭",  # not 裹: 包裹 is a parcel
         r"(?<=[包保必稳通考能]){C}|(?<=[包保][你您]){C}|(?<=[人你我])锅(?=来)|(?<=包)国"
         r"|(?<=保证)锅"),
        ("业", "叶亚页夜",
         r"(?<=作){C}(?=[证正人操])|(?<=毕){C}"),
        ("询", "洵巡旬荀",
         r"(?<=查){C}"),
        ("前", "钱",
         r"(?<=考){C}(?=[题给发一到卷])"),
        ("建", "见件键",
         r"(?<=[一二])见(?=[实题考答证师,、 ]|$)|(?<=住){C}"),
        ("目", "木",
         r"(?<=题){C}"),
        ("课", "客",
         r"(?<=[用免没需]上){C}"),
        ("不", "卟布埠步卜",
         r"{C}(?=[用需必考])"),
        ("免", "勉兔缅冕娩棉绵",
         r"{C}(?=[考试培学烤拷靠]|理论|实操)"),
        ("包", "饱苞宝煲胞",
         r"{C}(?=过|通过|拿证|查)"),
        ("培", "陪赔裴",
         r"{C}(?=训)"),
        ("用", "甬佣",
         r"(?<=[不无]){C}"),
        ("资", "姿咨滋",
         r"{C}(?=格证)"),
        ("本", "笨",
         r"{C}(?=人)"),
        ("代", "贷袋岱黛",
         r"{C}(?=[办考])|带(?=办)"),
    ),
    (  # last: what needs them (网 after 官, 焊 and 电 before 工证, 拿 before 证)
        ("网", "往罔忘枉旺冈",
         r"(?<=[官联上信]){C}(?![前后来返常年日届])"
         r"|[往罔忘枉旺冈王](?=[上站络页址][^。!?;\n]{0,6}[查验搜]|[可能]?查)|(?<=[官联])王|(?<=查询)王(?=址|站)"),
        ("焊", "汗旱翰悍汉寒",
         r"{C}(?=工[证本正那的])|汗(?=工)|(?<=熔化)汗"),
        ("电", "店垫殿淀",
         r"{C}(?=工[证本正])|(?<![本该此小商网招聘])店(?=工(?![作资人厂具程夫位种友]))"
         r"|(?<![商本该此小])店(?=[梯话])"),
        ("拿", "哪那",
         r"(?<=[能就以也快包接速]){C}(?=证|到证)|(?<=当天|直接)那(?=本(?![书子])|新本)|(?<=当天)那(?![个些样时里边会天])"),
    ),
    (  # and what stands after those (查 after a restored 网: 官往茶; 考 after 免: 棉烤)
        ("查", "茬察茶碴楂",
         r"(?<=[网]){C}(?![叶水馆杯道])"),
        ("考", "烤拷栲靠",
         r"(?<=免|劲){C}(?![肉鸭鱼串箱炉贝红面芝蛋饼布盘谱近])"),
        ("证", "正征政",
         r"(?<=焊){C}(?![在确常式规好面])"),
    ),
)


def respell_homophones(folded: str) -> str:
    """``folded`` with each stage's rules applied, the stages in order."""
    characters = set(folded)
    for gate, pattern, canonical in _HOMOPHONE_STAGES:
        if not gate.isdisjoint(characters):
            respelled = pattern.sub(canonical, folded)
            if respelled != folded:  # a later stage may start at a character this one wrote
                folded, characters = respelled, set(respelled)
    return folded


def _homophone_stages() -> tuple[
    tuple[frozenset[str], re.Pattern[str], Callable[[re.Match[str]], str]], ...
]:
    """One regex per stage, each rule a named group; the group's name says what it stands for.
    A stage runs only on a text holding a character one of its matches can start with
    (``keywords.regex_factors``), and its regex skips to those characters."""
    stages = []
    for rules in HOMOPHONE_RULES:
        groups, canonical = [], {}
        for index, (word, chars, pattern) in enumerate(rules):
            groups.append(f"(?P<r{index}>{pattern.replace('{C}', f'[{chars}]')})")
            canonical[f"r{index}"] = word
        regex = re.compile("|".join(groups))
        firsts = first_characters(regex)
        if not firsts:
            raise ValueError(f"homophone stage {len(stages) + 1}: a rule can start anywhere")
        stages.append((firsts, with_first_characters(regex), _group_word(canonical)))
    return tuple(stages)


def _group_word(words: dict[str, str]) -> Callable[[re.Match[str]], str]:
    return lambda match: words[match.lastgroup or ""]


_HOMOPHONE_STAGES = _homophone_stages()
