"""Judging, as pure functions: observations of a page, a text or a domain name go in, a verdict with
its score and reasons in an analyst's words comes out. Folding text (normalize), finding contacts,
scoring text and domain names, comparing a page with the official platforms and the takedown rules
live here, next to the fingerprint (scoring_version) of everything a verdict depends on. Nothing in
this wing reads the network, the store or the clock; it reads only the keyword library."""
