"""A page captured as evidence: fetched raw and rendered in Chromium, kept as WARC, screenshot and
text in one folder written atomically, with hashes and an RFC 3161 timestamp from the configured
authority."""
