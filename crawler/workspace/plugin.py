"""The jiazheng plugin for Datasette 0.65: one object whose methods are Datasette hooks, holding
the workspace's store thread and access rule, registered with Datasette's plugin manager by
``serve`` (``pm.register``), not through an entry point — installing jiazheng does not change
what a plain ``datasette`` command serves.

Hooks: ``register_routes`` (the review pages), ``actor_from_request`` (on loopback without
accounts, the person who started serve), ``permission_allowed`` (with a login required, nobody
unnamed sees anything; Datasette's ``_internal`` catalogue is shown to nobody), ``forbidden``
(to the login page), ``extra_template_vars`` (the dashboard on the home page), ``skip_csrf``
(never: every POST is checked), ``asgi_wrapper`` (on loopback, only requests that name this
machine as their host).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from crawler.workspace.access import Access
from crawler.workspace.routes import Workspace, home_figures, login_redirect
from crawler.workspace.store_thread import StoreThread

PLUGIN_NAME = "jiazheng"
INTERNAL_DATABASE = "_internal"


class WorkspacePlugin:
    """Datasette hooks over one workspace."""

    __name__ = PLUGIN_NAME  # Datasette lists plugins by this name (/-/plugins)

    def __init__(self, store_thread: StoreThread, access: Access) -> None:
        self.store_thread = store_thread
        self.access = access
        self.workspace = Workspace(store_thread)

    @hookimpl
    def register_routes(self, datasette: Any) -> list[tuple[str, Any]]:
        return self.workspace.routes()

    @hookimpl
    def actor_from_request(self, datasette: Any, request: Any) -> dict[str, str] | None:
        if self.access.login_required:
            return None  # the password plugin's signed cookie names the actor
        return {"id": self.access.local_who}

    @hookimpl
    def permission_allowed(self, datasette: Any, actor: Any, action: str,
                           resource: Any) -> bool | None:
        if self.access.login_required and not (actor and actor.get("id")):
            return False
        if action == "view-database" and resource == INTERNAL_DATABASE:
            return False  # Datasette's own catalogue; a local login named root would see it
        return None

    @hookimpl
    def forbidden(self, datasette: Any, request: Any, message: str) -> Response | None:
        if self.access.login_required and not request.actor:
            return login_redirect(datasette)
        return None

    @hookimpl
    def skip_csrf(self, datasette: Any, scope: Any) -> bool:
        return False

    @hookimpl
    def extra_template_vars(self, template: str, view_name: str, datasette: Any,
                            request: Any) -> Any:
        async def dashboard() -> dict[str, Any]:
            if view_name != "index":
                return {}
            return {"jiazheng": await home_figures(self.store_thread),
                    "jiazheng_prefix": "/-/jiazheng"}
        return dashboard

    @hookimpl
    def asgi_wrapper(self, datasette: Any) -> Any:
        allowed = {host.encode() for host in self.access.allowed_hosts}

        def wrap(app: Any) -> Any:
            async def only_this_machine(scope: dict[str, Any], receive: Any, send: Any) -> None:
                if allowed and scope["type"] == "http":
                    host = dict(scope.get("headers") or []).get(b"host", b"")
                    if host not in allowed:
                        await Response.text("Host 不是本机地址：已拒绝", status=421).asgi_send(send)
                        return
                await app(scope, receive, send)
            return only_this_machine
        return wrap
