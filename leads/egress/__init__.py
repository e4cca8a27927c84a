"""Where jiazheng may connect and how it reads what comes back: the egress policy (never the office
network, always through the configured proxy), the proxy's error answers, launching Chromium safely,
a raw fetch for evidence, and removing credentials from what we record."""
