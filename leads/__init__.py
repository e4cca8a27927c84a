"""Everything jiazheng knows about leads, without Scrapy; each wing is a package owning one thing.

- ``leads.judge``     pure judging: text, contacts, domains, page similarity, the verdict (no I/O)
- ``leads.store``     the SQLite store: migrations, queries per concern, the lead lifecycle
- ``leads.plan``      what to ask tonight: queries from the keyword library, domain probes
- ``leads.referral``  what goes to analysts and agencies: CSV, XLSX, PDF, packets, stats, review
- ``leads.evidence``  capturing a page as evidence: the folder, WARC, screenshot, timestamp
- ``leads.egress``    where we may connect and how: the egress policy, proxy errors, Chromium
- ``leads.feeds``     leads that arrive from outside a crawl: CT logs, Redis items, domain lists
- ``leads.hosting``   who is behind a lead host: DNS, RDAP, WHOIS, abuse contacts, cached
- ``leads.networks``  seller networks: leads joined by a shared contact, logo or template (pure)
- ``leads.learning``  analysts' decisions as labelled examples: the model the judge takes

docs/ARCHITECTURE.md draws how they fit together.
"""
