"""``python -m crawler.demoweb [--port N]``: serve the demo web until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import threading

from crawler.demoweb.server import DemoWeb


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m crawler.demoweb", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="listen port (default: any free one)")
    args = parser.parse_args()
    with DemoWeb(args.port) as web:
        print(f"demo web proxy: {web.proxy_url}  (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
