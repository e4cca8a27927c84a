"""The crawl decodes pages with the same encoding decision as the evidence capture
(``leads.evidence.charset``), so a screenshot shows the text that was judged."""

from leads.evidence.charset import choose_encoding

__all__ = ["choose_encoding"]
