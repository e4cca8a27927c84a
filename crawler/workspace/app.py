"""Building and running the workspace: the store opened (and migrated) on its own thread, the
access rule decided before anything listens, Datasette over the database file with the jiazheng
plugin, templates and static files, served by uvicorn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml  # Datasette's own dependency: metadata may be YAML
from datasette.app import Datasette
from datasette.plugins import pm

from crawler.workspace.access import Access, decide_access
from crawler.workspace.plugin import PLUGIN_NAME, WorkspacePlugin
from crawler.workspace.store_thread import StoreThread

# Datasette 0.65's default error handler prints with rich's print_exception even for a URL no
# route matches, outside any except block, which rich refuses (ValueError): every unknown URL
# became a 500. Without rich it writes the traceback of a real error with traceback.print_exc.
# (The module is reached through the plugin manager: importing it first would register it
# half-initialised, without its hook.)
pm.get_plugin("datasette.handle_exception").rich = None

HERE = Path(__file__).parent
STATIC_MOUNT = "-/jiazheng/static"
TITLE = "jiazheng 假证线索工作台"


def read_metadata(path: Path | None) -> dict[str, Any]:
    """Datasette metadata (JSON or YAML) — where the password plugin's accounts live;
    ``ValueError`` naming the file when it cannot be read as such."""
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".yml", ".yaml"):
            metadata = yaml.safe_load(text) or {}
        else:
            metadata = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"无法读取 {path}：{exc}") from exc
    if not isinstance(metadata, dict):
        raise ValueError(f"{path} 不是 Datasette 元数据（应为 JSON/YAML 对象）")
    return metadata


@contextmanager
def workspace(db: Path, host: str, port: int, metadata: dict[str, Any],
              local_who: str) -> Iterator[tuple[Datasette, Access]]:
    """Datasette serving ``db`` with the jiazheng plugin, for as long as the block runs.
    ``ServeRefused`` (before anything is opened) when the bind needs a login none configures."""
    access = decide_access(host, port, metadata, local_who)
    store_thread = StoreThread(db)
    plugin = WorkspacePlugin(store_thread, access)
    pm.register(plugin, name=PLUGIN_NAME)
    try:
        datasette = Datasette(
            [str(db)], metadata={"title": TITLE, **metadata},
            template_dir=str(HERE / "templates"),
            static_mounts=[(STATIC_MOUNT, str(HERE / "static"))],
            settings={"default_page_size": 50})
        yield datasette, access
    finally:
        pm.unregister(plugin)
        store_thread.close()


def run(datasette: Datasette, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
