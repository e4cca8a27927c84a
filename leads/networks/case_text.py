"""A seller network as one case (串案) in a referral letter: which sites one seller runs and the
facts that say so, in the officer's words. Pure text; the packet puts it in its 移送函."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leads.networks.traits import LINK_KINDS, LOGO_KIND, TEMPLATE_KIND

MAX_SITES_NAMED = 20  # a letter names this many sites; the 线索表 lists every one


def _facts(links: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each shared value once, in the order of the links; templates as their strongest pair."""
    facts: dict[str, None] = {}
    templates = [float(link["strength"]) for link in links if link["kind"] == TEMPLATE_KIND]
    for link in links:
        kind = link["kind"]
        if kind == TEMPLATE_KIND:
            facts[f"页面文字出自同一模板（相似度最高 {max(templates):.2f}）"] = None
        elif kind == LOGO_KIND:
            facts[f"使用同一标识图片（图像指纹 {link['value']}）"] = None
        else:
            facts[f"共用{LINK_KINDS[kind].label} {link['value']}"] = None
    return list(facts)


def case_paragraph(network: Mapping[str, Any], in_packet: int) -> str:
    """The letter's paragraph for ``network`` (as ``Store.network`` gives it) of which
    ``in_packet`` leads this packet carries."""
    sites = list(network["sites"])
    named = "、".join(sites[:MAX_SITES_NAMED]) + ("等" if len(sites) > MAX_SITES_NAMED else "")
    text = (f"经关联分析，上述线索涉及的{len(sites)}个网站（{named}）"
            f"{'；'.join(_facts(network['links']))}，系同一卖家经营，"
            f"现作为一个案件（串案，本单位关联编号 网络{network['id']}）移送，请并案核查。")
    others = int(network["lead_count"]) - in_packet
    if others > 0:
        text += f"该卖家另有{others}条线索此前已移送或尚未核实，未列入本函。"
    return text
