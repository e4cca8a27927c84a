"""The review pages' handlers: the lead list, a lead page, its screenshot, and decisions. Each
reads or writes through the store's thread (``StoreThread``) and renders a template of
templates/; a decision is a POST that Datasette's CSRF protection has checked, from a page of
this workspace, by a known actor."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from datasette.utils.asgi import Response

from crawler.workspace import dashboard, lead_list, lead_page, related
from crawler.workspace.decisions import DECISIONS, decide
from crawler.workspace.lead_page import CATEGORY_LABELS
from crawler.workspace.store_thread import StoreThread
from leads.store import StoreLockedError
from leads.store.lifecycle import STATE_LABELS, LifecycleError

PREFIX = "/-/jiazheng"
CSRF_COOKIE = "ds_csrftoken"  # present only when asgi-csrf compared the form's token with it


class Workspace:
    """The handlers, over one store thread (who may see them is the plugin's hooks' rule)."""

    def __init__(self, store_thread: StoreThread) -> None:
        self.store = store_thread

    def routes(self) -> list[tuple[str, Any]]:
        return [
            (rf"^{PREFIX}/leads$", self.leads),
            (rf"^{PREFIX}/leads/(?P<lead_id>\d{{1,12}})$", self.lead),
            (rf"^{PREFIX}/leads/(?P<lead_id>\d{{1,12}})/screenshot\.png$", self.screenshot),
            (rf"^{PREFIX}/decide$", self.decide),
            (rf"^{PREFIX}/networks$", self.networks),
            (rf"^{PREFIX}/networks/(?P<network_id>\d{{1,12}})$", self.network),
        ]

    async def _allowed(self, datasette: Any, request: Any) -> bool:
        return bool(await datasette.permission_allowed(request.actor, "view-instance",
                                                       default=True))

    async def _render(self, datasette: Any, request: Any, template: str,
                      context: dict[str, Any], status: int = 200) -> Response:
        context = {"prefix": PREFIX, "state_labels": STATE_LABELS,
                   "category_labels": CATEGORY_LABELS, "decisions": DECISIONS, **context}
        return Response.html(await datasette.render_template(template, context, request=request),
                             status=status)

    async def leads(self, datasette: Any, request: Any) -> Response:
        if not await self._allowed(datasette, request):
            return login_redirect(datasette)
        try:
            chosen = lead_list.LeadFilters.from_args(request.args)
        except lead_list.FilterError as exc:
            return await self._render(datasette, request, "jiazheng_error.html",
                                      {"message": str(exc)}, status=400)
        found = await self.store.call(lead_list.list_leads, chosen)
        choices = await self.store.call(lead_list.filter_choices)
        return await self._render(datasette, request, "jiazheng_leads.html", {
            "filters": chosen, "choices": choices, **found, "page": int(chosen.page)})

    async def lead(self, datasette: Any, request: Any) -> Response:
        if not await self._allowed(datasette, request):
            return login_redirect(datasette)
        lead_id = int(request.url_vars["lead_id"])
        searched = request.args.get("q", "")[:200]
        view = await self.store.call(lead_page.lead_view, lead_id, searched)
        if view is None:
            return await self._render(datasette, request, "jiazheng_error.html",
                                      {"message": f"没有编号为 {lead_id} 的线索"}, status=404)
        extra = await self.store.call(related.related_blocks, lead_id)
        return await self._render(datasette, request, "jiazheng_lead.html",
                                  {**view, **extra, "searched": searched,
                                   "database": datasette.get_database().name})

    async def networks(self, datasette: Any, request: Any) -> Response:
        if not await self._allowed(datasette, request):
            return login_redirect(datasette)
        found = await self.store.call(related.networks_view)
        return await self._render(datasette, request, "jiazheng_networks.html",
                                  {"networks": found})

    async def network(self, datasette: Any, request: Any) -> Response:
        if not await self._allowed(datasette, request):
            return login_redirect(datasette)
        network_id = int(request.url_vars["network_id"])
        found = await self.store.call(related.network_view, network_id)
        if found is None:
            return await self._render(datasette, request, "jiazheng_error.html",
                                      {"message": f"没有编号为 {network_id} 的卖家网络"},
                                      status=404)
        return await self._render(datasette, request, "jiazheng_network.html",
                                  {"network": found})

    async def screenshot(self, datasette: Any, request: Any) -> Response:
        if not await self._allowed(datasette, request):
            return login_redirect(datasette)
        path = await self.store.call(lead_page.latest_screenshot,
                                     int(request.url_vars["lead_id"]))
        if path is None:
            return Response.text("没有截图", status=404)
        return Response(path.read_bytes(), content_type="image/png",
                        headers={"cache-control": "private, max-age=60"})

    async def decide(self, datasette: Any, request: Any) -> Response:
        """POST lead_id (repeated for a batch), decision, note, back: apply and go back."""
        if request.method != "POST":
            return Response.text("只接受 POST", status=405)
        refused = self._refuse_forgery(request)
        if refused:
            return Response.text(refused, status=403)
        if not await self._allowed(datasette, request):
            return login_redirect(datasette)
        form = parse_qs((await request.post_body()).decode("utf-8", "replace"))
        who = (request.actor or {}).get("id", "")
        try:
            lead_ids = [lead_number(value) for value in form.get("lead_id", [])]
            done = await self.store.call(decide, lead_ids, form.get("decision", [""])[0],
                                         form.get("note", [""])[0], str(who))
        except (ValueError, LifecycleError, StoreLockedError) as exc:
            datasette.add_message(request, f"未保存：{exc}", datasette.ERROR)
        else:
            datasette.add_message(request, f"已保存 {done} 条线索的决定（{who}）", datasette.INFO)
        return Response.redirect(local_path(form.get("back", [""])[0]))

    def _refuse_forgery(self, request: Any) -> str:
        """Why a POST is refused before it is read: asgi-csrf skips its check for a request with
        no cookie at all (a cross-site form post carries none), so a decision needs the CSRF
        cookie — whose token the middleware then compared with the form's — and, when the
        browser names the page it came from, this very site."""
        if CSRF_COOKIE not in request.cookies:
            return "拒绝：缺少 CSRF 令牌（请从线索页面提交）"
        origin = request.headers.get("origin", "")
        if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
            return "拒绝：请求来自其他网站"
        return ""


def lead_number(value: str) -> int:
    """A lead id from a form: digits, at most 12 of them (SQLite's integers end at 2^63)."""
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        raise ValueError(f"线索编号无效：{value[:20]}")
    return int(value)


def login_redirect(datasette: Any) -> Response:
    return Response.redirect(datasette.urls.path("/-/login"))


def local_path(back: str) -> str:
    """Where to return after a decision: a page of this workspace, never another site."""
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or not parts.path.startswith(f"{PREFIX}/"):
        return f"{PREFIX}/leads"
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def home_figures(store_thread: StoreThread) -> dict[str, Any]:
    return await store_thread.call(dashboard.figures)
