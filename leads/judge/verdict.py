"""The one verdict on a fetched page, used by the pipeline and every CLI command.

``judge_page`` combines the domain score, the page fingerprint comparison and the text score into
a category ("lookalike_site", "fake_ad" or "none"), a 0–100 score, the imitated official host,
seller contacts, the agencies to notify (routing.toml) and Chinese reasons. Order of the rules:
official platforms and *.gov.cn never lead; an imitation of a platform is a lookalike even when
it also sells; news, notices and warnings about fakes never lead; otherwise the sales score decides.
A page that only names a platform (a headline, an answer, a 百科 entry) is told so in its reasons.
Context caps a page's sales score as firmly as it caps a text's: on a page in the context of a
lawful trade (training, job, Q&A, public service), or whose own title names it as another kind of
site (a news site, 百科, Q&A site, school: ``PageMatch.venue``), quoted sales phrases and headlines
are not offers, so the sales score stays below the threshold — unless the page itself promises
what only a fake can keep (不用考试, 不用本人到场, 保证通过…) and gives a way to reach the seller.
The ICP and 公安备案 numbers a page shows are recorded in its signals (``identifier:…``, weighing
nothing), a lead's reasons name those failing the offline format check (``page_identifiers``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from keywords import load_library
from leads.judge.contacts import ROUTABLE_CONTACT_KINDS, has_direct_contact
from leads.judge.domains import (
    HostParts,
    host_parts,
    is_government_host,
    is_official_host,
    score_domain,
)
from leads.judge.page_identifiers import format_reasons, identifier_signals, read_identifiers
from leads.judge.page_similarity import PageMatch, compare_page
from leads.judge.text_score import CONTEXT_NAMES, TextScore, score_text

LEAD_THRESHOLD: int = 50  # a verdict at or above this score is a lead worth an analyst's time
SERP_WEIGHT = 0.4  # a search snippet is the seller's bait, not the page: it counts less
WEAKER_LOOKALIKE_WEIGHT = 0.3  # share of the weaker of domain/page imitation added to the stronger
TLS_POINTS, TLS_CAP = 5, 10  # certificate problems hint at a throwaway site, never a lead alone
ABOUT_FAKES_CONTEXTS = ("news", "notice", "warning")  # texts about fakes, not selling them
# Lawful pages a seller can dress as too: there, sales phrases are capped below the threshold
# unless the page makes a fake-only claim in its own voice and gives a direct contact.
LAWFUL_LOOKING_CONTEXTS = ("training", "renewal", "job", "qa", "buyer", "service")
CONTEXT_SALES_CAP = LEAD_THRESHOLD - 1
# Claims only a fake can keep (keywords/concept_names.tsv); a lawful school never makes them.
# 网上可查 and 快速出证 are left out: schools say 国网可查 and 快速拿证 of real certificates.
FAKE_ONLY_CONCEPTS = (
    "NO_EXAM", "NO_TRAINING", "NO_PRESENCE", "GUARANTEED_PASS", "PAY_FOR_CERT", "PAY_AFTER",
    "EXAM_FRAUD", "INSIDER_CHANNEL",
)
OWN_VOICE_POINTS = 20  # a quoted or reported claim counts half (at most 15): this is said outright
SHOWN_MENTIONS = 4


@dataclass(frozen=True)
class PageFacts:
    """What was observed about one fetched page."""

    url: str  # URL as requested
    final_url: str  # after redirects (use this for the domain)
    title: str
    text: str  # visible text (scripts/styles already removed)
    html: str = ""  # decoded HTML, may be truncated (forms, footers, meta)
    serp_text: str = ""  # title + snippet of the search result that led here, if any
    tls_problems: tuple[str, ...] = ()  # e.g. ("self_signed",), ("expired",)
    role: str = "result"  # "result" | "contact" | "verification" | "linked" | "check" …
    logo_hashes: tuple[str, ...] = ()  # page_similarity.logo_hash of its logo images


@dataclass(frozen=True)
class Verdict:
    """The judgement on one page."""

    category: str  # "fake_ad" | "lookalike_site" | "none"
    score: int  # 0–100
    target: str  # imitated official host for lookalike_site (e.g. "cx.mem.gov.cn"), else ""
    contacts: tuple[str, ...]
    agencies: tuple[str, ...]  # from routing.toml, order 公安, 网信, 市场监管
    reasons: tuple[str, ...]  # Chinese sentences an analyst reads
    signals: dict[str, float] = field(default_factory=dict)  # named per-signal contributions

    @property
    def is_lead(self) -> bool:
        return self.category != "none" and self.score >= LEAD_THRESHOLD


def _not_a_lead(
    reason: str,
    score: int = 0,
    signals: dict[str, float] | None = None,
    evidence: tuple[str, ...] = (),
    contacts: tuple[str, ...] = (),
) -> Verdict:
    """A non-lead still carries its contacts: a contact page's phone belongs to its site's lead."""
    return Verdict("none", score, "", contacts, (), (reason, *evidence), signals or {})


def _on_marketplace(parts: HostParts) -> bool:
    return any(
        parts.host == domain or parts.host.endswith("." + domain)
        for domain in load_library().routing.marketplace_domains
    )


def route(
    category: str, contacts: tuple[str, ...], parts: HostParts, target: str
) -> tuple[str, ...]:
    """Agencies for a lead, by the routing.toml rules, in the configured agency order."""
    routing = load_library().routing
    has_contacts = any(contact.startswith(ROUTABLE_CONTACT_KINDS) for contact in contacts)
    on_marketplace = _on_marketplace(parts)
    chosen = {
        agency
        for rule in routing.rules
        if rule.applies(category, has_contacts, on_marketplace, target)
        for agency in rule.agencies
    }
    return tuple(agency for agency in routing.agency_order if agency in chosen)


def _prefixed(prefix: str, signals: Mapping[str, float]) -> dict[str, float]:
    return {f"{prefix}.{name}": float(value) for name, value in signals.items()}


def _sales(facts: PageFacts) -> tuple[TextScore, TextScore | None, float]:
    """Text score of the page, of its search snippet, and the blend of both."""
    text = score_text(f"{facts.title}\n{facts.text}")
    serp = score_text(facts.serp_text) if facts.serp_text.strip() else None
    return text, serp, min(100.0, text.score + SERP_WEIGHT * (serp.score if serp else 0))


def sales_verdict(context: str, sales: float) -> tuple[str, str]:
    """(category, reason) for what a text sells: the one rule for a page's text (``judge_page``)
    and a bare text (``leads.judge.batch.judge_text``, ``jiazheng score-text``).

    News, notices and warnings about fakes never lead, whatever they quote: the category is
    "none" and the reason says so. Otherwise a sales score from LEAD_THRESHOLD is a "fake_ad"
    and the reason is "".
    """
    if context in ABOUT_FAKES_CONTEXTS:
        return "none", f"{CONTEXT_NAMES[context]}类页面（谈论假证而非出售），不作为线索"
    return ("fake_ad" if sales >= LEAD_THRESHOLD else "none"), ""


def fake_only_claims(text: TextScore) -> tuple[str, ...]:
    """Labels of the fake-only claims a text makes in its own voice (not quoted, not reported,
    not denied), when it also gives a direct contact: a seller's offer, whatever page it is on."""
    if not has_direct_contact(text.contacts):
        return ()
    names = load_library().concept_names
    return tuple(
        names[concept].label
        for concept in FAKE_ONLY_CONCEPTS
        if text.concepts.get(concept, 0) >= OWN_VOICE_POINTS
    )


def context_cap(text: TextScore, sales: float, venue: str = "") -> tuple[float, str]:
    """The sales score after the page's context, and the reason when the context changed it.

    In a lawful-looking context (a school's 报名条件, a job post, a Q&A), or on a page whose title
    names it as a news site, 百科, Q&A site or school (``venue``), sales phrases are usually quoted
    to warn or stand in a headline; they lead only with a fake-only claim in the page's own voice
    and a contact (a seller posing as a training centre).
    """
    lawful = text.context in LAWFUL_LOOKING_CONTEXTS
    if not (lawful or venue) or sales <= CONTEXT_SALES_CAP:
        return sales, ""
    where = f"{CONTEXT_NAMES[text.context]}语境" if lawful else f"页面标题自称“{venue}”"
    claims = fake_only_claims(text)
    if claims:
        return sales, f"虽有{where}，页面以自己的口吻承诺{'、'.join(claims)}并留有联系方式"
    reason = (
        f"{where}：推销用语只见于转述、提醒或标题，页面未以自己的口吻承诺只有假证才能做到的事"
        f"（不用考试、不用本人到场、保证通过…）并留联系方式，推销得分封顶 {CONTEXT_SALES_CAP}"
    )
    return float(CONTEXT_SALES_CAP), reason


def mention_reason(page: PageMatch, text: TextScore) -> tuple[str, ...]:
    """'仅在正文中提及…' for a page that names a platform without posing as it."""
    if not page.mentions or page.score >= LEAD_THRESHOLD:
        return ()
    context = f"（{CONTEXT_NAMES[text.context]}语境）" if text.context else ""
    more = "等" if len(page.mentions) > SHOWN_MENTIONS else ""
    shown = "、".join(page.mentions[:SHOWN_MENTIONS]) + more
    return (
        f"仅在正文中提及 {page.mentioned}{context}：{shown}；页面未以该平台自称，不视为仿冒",
    )


def judge_page(
    facts: PageFacts, official_logos: Mapping[str, Iterable[str]] | None = None
) -> Verdict:
    """Judge one page; never raises on odd input (huge texts are read up to a cap).

    ``official_logos`` (official host → logo hashes seen on its own pages) lets a copied emblem
    count even though platforms.toml knows no hash for it.
    """
    parts = host_parts(facts.final_url or facts.url)
    if is_official_host(parts.host):
        return _not_a_lead(f"官方查询平台 {parts.host}，不作为线索")
    if is_government_host(parts.host):
        return _not_a_lead(f"政府网站 {parts.host}（gov.cn），不作为线索")

    domain = score_domain(parts.host)
    page = compare_page(facts.title, facts.text, facts.html, facts.logo_hashes, official_logos)
    identifiers = read_identifiers(f"{facts.title}\n{facts.text}", facts.html)
    text, serp, offered = _sales(facts)
    sales, context_reason = context_cap(text, offered, page.venue)
    tls = min(TLS_CAP, TLS_POINTS * len(set(facts.tls_problems)))
    # A capped page stays capped: a certificate problem does not lift it over the threshold.
    sales_total = min(sales + tls, CONTEXT_SALES_CAP) if sales < offered else sales + tls
    stronger, weaker = sorted((domain.score, page.score), reverse=True)
    imitation = min(100.0, stronger + WEAKER_LOOKALIKE_WEIGHT * weaker)
    contacts = tuple(dict.fromkeys(text.contacts + (serp.contacts if serp else ())))
    signals = {
        "domain": float(domain.score),
        "page": float(page.score),
        "text": float(text.score),
        "serp": SERP_WEIGHT * serp.score if serp else 0.0,
        "tls": float(tls),
        **_prefixed("domain", domain.signals),
        **_prefixed("page", page.signals),
        **_prefixed("text", text.signals),
        **identifier_signals(identifiers),
    }
    tls_reasons = (f"TLS 证书问题：{'、'.join(sorted(set(facts.tls_problems)))}",) if tls else ()
    sales_reasons = text.reasons + tuple(
        f"搜索结果摘要：{r}" for r in (serp.reasons if serp else ()) if r not in text.reasons
    ) + ((context_reason,) if context_reason else ())
    mentions = mention_reason(page, text)
    # A page with no sales score sells nothing, whatever its certificate problems.
    sales_category, about_fakes_reason = sales_verdict(
        text.context, sales_total if sales else 0.0
    )

    # A lookalike needs one strong imitation signal, or weak ones on a page that does not sell.
    strong_enough = stronger >= LEAD_THRESHOLD or sales < LEAD_THRESHOLD
    if imitation and imitation + tls >= LEAD_THRESHOLD and strong_enough:
        target = domain.target if domain.score >= page.score else page.target
        score = round(min(100.0, imitation + tls))
        category = "lookalike_site"
        reasons = tuple(r for r in domain.reasons + page.reasons if r.startswith(("域名", "页面")))
        reasons += tuple(r for r in sales_reasons if "推销" in r) + tls_reasons
    elif about_fakes_reason:
        evidence = mentions + sales_reasons
        return _not_a_lead(about_fakes_reason, 0, signals, evidence, contacts)
    elif sales_category == "fake_ad":
        target, score, category = "", round(min(100.0, sales_total)), sales_category
        reasons = sales_reasons + tls_reasons
    else:
        best = round(max(imitation + tls if imitation else 0, sales_total if sales else 0))
        evidence = domain.reasons + page.reasons + mentions + sales_reasons + tls_reasons
        reason = f"未达线索阈值（{best} < {LEAD_THRESHOLD}）"
        return _not_a_lead(reason, best, signals, evidence, contacts)
    return Verdict(
        category=category,
        score=score,
        target=target,
        contacts=contacts,
        agencies=route(category, contacts, parts, target),
        reasons=reasons + format_reasons(identifiers),
        signals=signals,
    )
