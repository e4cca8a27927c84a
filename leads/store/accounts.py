"""Writing WeChat account cards (leads/judge/accounts.py): every card a search showed is kept as
seen, and a ``lookalike_account`` verdict upserts its lead — one per account address
(``weixin://account/<微信号>``), with the account's name, 微信号 and the imitated official.

An account lead has no page and no host: its host column stays empty (the platform's host,
mp.weixin.qq.com or weixin.sogou.com, is never a lead's host), and what was seen is its card
(``account_cards``), not a page body.
"""

from __future__ import annotations

from leads.judge.accounts import AccountObservation, imitated_official
from leads.store.database import Database, json_text
from leads.store.observations import seller_fields


class AccountWrites(Database):
    """The account cards of a crawl and the lookalike-account leads they make."""

    def save_account(self, run_id: int, account: AccountObservation) -> None:
        verdict = account.verdict
        with self.transaction():
            self.db["account_cards"].insert({
                "run_id": run_id, "address": account.url, "engine": account.engine,
                "query": account.query, "serp_page": account.serp_page, "rank": account.rank,
                "name": account.name, "wechat_id": account.wechat_id,
                "open_id": account.open_id, "description": account.description,
                "verified_by": account.verified_by, "link": account.link,
                "card_text": account.card_text, "seen_at": account.seen_at,
                "category": verdict.category if verdict else "",
                "score": verdict.score if verdict else 0,
                "reasons": json_text(list(verdict.reasons) if verdict else []),
                "scoring_version": account.scoring_version,
            })
            if verdict is not None and verdict.is_lead:
                self._upsert_account_lead(run_id, account)

    def _upsert_account_lead(self, run_id: int, account: AccountObservation) -> None:
        verdict = account.verdict
        assert verdict is not None
        fields = {
            "host": "", "registered_domain": "", "category": verdict.category,
            "score": verdict.score, "target": verdict.target,
            "contacts": json_text(list(verdict.contacts)),
            "agencies": json_text(list(verdict.agencies)),
            "reasons": json_text(list(verdict.reasons)), "signals": json_text(verdict.signals),
            **seller_fields(verdict.contacts), "title": account.name, "parent_url": "",
            "last_seen": account.seen_at, "last_run_id": run_id,
            "account_name": account.name, "wechat_id": account.wechat_id,
            "imitated_official": imitated_official(verdict),
        }
        existing = self.db.execute("SELECT id FROM leads WHERE url = ?", [account.url]).fetchone()
        if existing is not None:
            self.db["leads"].update(existing[0], fields)
            return
        self.db["leads"].insert({"url": account.url, **fields, "first_seen": account.seen_at,
                                 "first_run_id": run_id})
        self.db.execute("UPDATE query_yields SET new_leads = new_leads + 1 "
                        "WHERE engine = ? AND query = ?", [account.engine, account.query])

    def account_cards(self, address: str) -> list[dict[str, object]]:
        """Every card seen of the account at ``address``, oldest first."""
        return list(self.db.query("SELECT * FROM account_cards WHERE address = ? ORDER BY id",
                                  [address]))
