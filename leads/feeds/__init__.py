"""Leads that arrive from outside a search crawl: new certificates in Certificate Transparency logs,
items that crawl workers queue in Redis, and lists of domain names scored in bulk."""
