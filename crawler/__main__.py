"""``python -m crawler`` is ``jiazheng``."""

from crawler.cli import main

main()
