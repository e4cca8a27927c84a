"""Who is behind a lead host: its DNS records, the network and AS its addresses belong to, the
domain's registrar, dates and status, and the abuse contacts of the hosting provider and the
registrar — for routing (网信, 公安, the telecom regulator act on 接入 and 注册) and as evidence.

Each source is asked once per lookup, with a timeout and a size cap, and answers with an outcome
(``answers.SourceAnswer``), never an exception: a registry that times out or answers garbage is
recorded like one that answered. ``host_facts`` joins the sources for one host; the store keeps
every answer raw (``leads.store.host_facts``). Nothing here asks about an internal address.
"""
