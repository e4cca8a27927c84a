"""The text score as a fitted logistic model over the scorer's own features, with its reasons.

Hand-set points with caps (``leads.judge.text_score``) stop generalising as concepts grow
(../shared/DETECTION.md §3). The scorer's findings — each concept's points, the certificate
named, the contact, the frames, the words of each negative context, the rules' own score — are
turned into a few tens of features here; keywords/fitted_weights.tsv gives each a weight fitted
on the dev sets (``bench/fit_text_weights.py``), and the score is 100·σ(bias + Σ weight·value),
so 50 is the lead threshold. The largest contributions become one reason line
("拟合权重：不用考试 +1.8、含直接联系方式 +1.1、新闻报道语境 −2.5"). Pure functions.

The model can only raise a text, and only one that makes a sales claim or offer (the evidence
the rules need to pass their no-sales cap) about safety-production or unnamed papers
(``fitted_applies``): the score is the larger of the rules' and the model's. Texts about
other papers (驾驶证, 学历, 四级, 护士资格证) keep the rules' score: the dev sets hold few of them
near the threshold (5 leads, 14 not) while everyday text names them far more often (insurance
claims, licence exchange agreements, second-hand notes), and the first fitted candidate
(2026-12-04), which replaced the rules' score everywhere, flagged 5 of 780 real non-spam lines,
all about such papers, by adding concept weights on top of a rules' score of 35–45. A model that
may also lower the rules' score dropped sellers the rules catch (通过网络能查到证，价格优惠 with
a phone: 50 → 45).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from keywords.fitted import FittedWeights

# Claims too common to let the model raise a text on them alone: the dev sets' lawful Q&A and
# chat (我QQ是…你加我, 有周末班吗) were raised over 50 on 加我/私我 and a card's name.
WEAK_ALONE = frozenset({"CONTACT_PROMPT", "PRICE", "SALES_STOCK", "DELIVERED"})
POINTS_SCALE = 25.0  # concept, certificate points: 25 (a firm claim) counts 1
NEGATIVE_SCALE = 30.0  # negative words of a context: 30 (a dominant context) counts 1
RULES_SCALE = 100.0
SHOWN_CONTRIBUTIONS = 6
MIN_SHOWN = 0.05  # a contribution smaller than this is left out of the reason


def text_features(
    concepts: Mapping[str, float],
    certificate: float,
    families: int,
    contacts: tuple[bool, bool],
    frames: Mapping[str, float],
    negative_by_tag: Mapping[str, float],
    flags: Mapping[str, bool],
    rules_score: float,
) -> dict[str, float]:
    """The model's input: ``concept.X`` points/25, ``certificate`` points/25, ``families`` beyond
    the first, ``contact.direct``/``contact.indirect``, ``frame.X`` 1, ``context.TAG`` negative
    weight/30, ``flag.X`` 1 (quoted, denied, scope other) and ``rules`` (the rules' score/100)."""
    features = {f"concept.{name}": points / POINTS_SCALE for name, points in concepts.items()}
    features["certificate"] = certificate / POINTS_SCALE
    features["families"] = float(max(families - 1, 0))
    direct, indirect = contacts
    features["contact.direct"] = float(direct)
    features["contact.indirect"] = float(indirect and not direct)
    features.update({f"frame.{name}": 1.0 for name in frames})
    features.update(
        {f"context.{tag}": weight / NEGATIVE_SCALE for tag, weight in negative_by_tag.items()}
    )
    features.update({f"flag.{name}": 1.0 for name, on in flags.items() if on})
    features["rules"] = rules_score / RULES_SCALE
    return {name: value for name, value in features.items() if value}


def fitted_applies(features: Mapping[str, float], sales: Collection[str]) -> bool:
    """Whether the fitted model may raise a text with these features: only when it makes a sales
    claim or offer (``sales``: the concepts found) other than the ones every trade and every
    chat says (a prompt to get in touch, a price, stock phrases, a delivery), and is not about
    papers other than safety-production certificates (see the module's docstring)."""
    return bool(set(sales) - WEAK_ALONE) and not features.get("flag.other_documents")


def contributions(weights: FittedWeights, features: Mapping[str, float]) -> dict[str, float]:
    """Each known feature's weight × value (features the model does not know add nothing)."""
    return {
        name: weights.weights[name] * value
        for name, value in features.items()
        if name in weights.weights
    }


def fitted_score(
    weights: FittedWeights, features: Mapping[str, float], floor: int = 0
) -> tuple[int, str]:
    """(score 0–100, reason line) of ``features`` under ``weights``, never below ``floor`` (the
    rules' score: the model only raises)."""
    parts = contributions(weights, features)
    logit = weights.bias + sum(parts.values())
    score = round(100 / (1 + math.exp(-max(-50.0, min(50.0, logit)))))
    shown = sorted(
        (item for item in parts.items() if abs(item[1]) >= MIN_SHOWN),
        key=lambda item: -abs(item[1]),
    )[:SHOWN_CONTRIBUTIONS]
    words = "、".join(f"{weights.labels[name]} {_signed(value)}" for name, value in shown)
    reason = f"拟合权重（{weights.fitted_on}）：{words or '无'}；合计 {_signed(logit)} → {score} 分"
    if score < floor:
        return floor, f"{reason}，低于规则得分 {floor}，取规则得分"
    return score, reason


def _signed(value: float) -> str:
    """+1.8 or −2.5 (a true minus sign, as analysts read it)."""
    return f"{value:+.1f}".replace("-", "−")
