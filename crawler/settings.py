"""Scrapy settings for jiazheng. Every jiazheng-specific setting is prefixed ``JIAZHENG_``.

Politeness lives here (per-engine download slots); ``jiazheng crawl --no-delay`` zeroes it for
local test webs, and ``-s NAME=VALUE`` overrides anything, as with ``scrapy crawl``.
"""

from spiders import search as _search  # the engine list, declared once

BOT_NAME = "jiazheng"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- jiazheng ------------------------------------------------------------------------------
JIAZHENG_DB = "jiazheng.db"  # SQLite store; the CLI's --db sets it
JIAZHENG_DB_TIMEOUT = 30  # seconds to wait for another process's lock before failing clearly
JIAZHENG_PROXY = ""  # http://host:port for Scrapy and the browser; empty: HTTP(S)_PROXY env
# Queries per engine and night, from the query plan (crawler/plan.py); a budget lifts this
# default, an explicit --max-queries still caps. 0: no cap.
JIAZHENG_MAX_QUERIES = 40
JIAZHENG_MAX_SERP_PAGES = 2  # result pages per query and engine
JIAZHENG_MAX_SERP_PAGES_YIELDING = 5  # result pages for a query that has been finding new leads
# Tonight's search budget: a time ("5h", "90m") or result pages per engine ("300req"); empty:
# JIAZHENG_MAX_QUERIES alone. Spent at the politeness below, never faster (crawler/budget.py).
JIAZHENG_BUDGET = ""
JIAZHENG_QUERIES_FILE = ""  # the office's own query list, merged into the plan (--queries)
JIAZHENG_EXPLORATION = 0.2  # share of tonight's queries kept for never- or rarely-asked ones
JIAZHENG_FOLLOW_DEPTH = 2  # hops from a search result to contact/verification pages
JIAZHENG_MAX_PAGES_PER_HOST = 6  # pages fetched per host per run
JIAZHENG_MAX_FOLLOWS_PER_PAGE = 6  # verification links/domains followed from one page
JIAZHENG_MAX_OTHER_SITES_PER_PAGE = 3  # other sites a seller's result page links, one hop each
JIAZHENG_BROWSER = True  # render pages that need JavaScript with Chromium
JIAZHENG_CHROMIUM = "/usr/bin/chromium"  # Debian's chromium package
# Chromium keeps its sandbox: as root it runs as this unprivileged user (bash setup.sh makes it).
JIAZHENG_BROWSER_USER = "jiazheng-browser"
# true: Chromium without its sandbox (a warning is logged). Only where no user namespaces exist.
JIAZHENG_CHROMIUM_NO_SANDBOX = False
# Seconds one page may take in the browser, every step included; then it is closed (the browser
# recycled if it will not close) and the page is judged from its plain fetch.
JIAZHENG_RENDER_TIMEOUT = 30.0
JIAZHENG_RENDER_PROBE_INTERVAL = 1.0  # seconds between "does the page's script yield?" probes
# Seconds without any response or item before the crawl is stopped as stuck (reason
# "watchdog"; the URLs in flight are recorded); 0 turns the watchdog off.
JIAZHENG_WATCHDOG_SECONDS = 300
JIAZHENG_RENDER_MIN_TEXT = 200  # fewer visible characters than this, plus scripts: render
JIAZHENG_PROGRESS_INTERVAL = 5.0  # seconds between progress lines; 0 turns them off
JIAZHENG_INCREMENTAL = True  # conditional requests; unchanged pages keep their verdict
JIAZHENG_RESUME_RUN = 0  # id of a killed run to carry on (jiazheng nightly sets it)
JIAZHENG_MAX_CANDIDATES = 200  # lookalike domains from watch-ct fetched per crawl
# Permutations of the official names (leads/plan/probe_plan.py) probed per crawl: lookalikes no
# engine indexes are found only by their name. Never-probed first; 0 turns probing off.
JIAZHENG_MAX_PROBES = 100
JIAZHENG_OFFICIAL_LOGOS = True  # fetch the platforms' own pages first, to learn their logos
JIAZHENG_OFFICIAL_WAIT = 60  # seconds searching waits for those pages at most (0: no wait)
JIAZHENG_MAX_LOGOS_PER_PAGE = 2  # logo images fetched for a page that resembles a platform
JIAZHENG_MAX_LOGO_BYTES = 1_000_000  # bigger images are not logos: dropped while downloading
# QR codes (crawler/qr_images.py): images read on a page that may be a lead (a candidate, an ad,
# a platform lookalike), each fetched once per crawl. A WeChat contact QR becomes a contact
# (wechat_qr:…), a link a page fetched and judged. Bigger files are dropped while downloading;
# images over the pixel limit are refused from their header, before decoding (a decompression
# bomb); images over 2000 px a side are downscaled before decoding, which caps decode time.
JIAZHENG_MAX_QR_IMAGES = 8  # images read for QR codes per page; 0 turns QR reading off
JIAZHENG_MAX_QR_IMAGE_BYTES = 2_000_000  # a certificate photo fits; larger is no ad image
JIAZHENG_MAX_QR_PIXELS = 20_000_000  # width × height refused above this
# The egress policy (leads/egress/policy.py) refuses internal addresses; these host:port or CIDR
# entries are let through. Only for test and demo servers on 127.0.0.1: empty in production.
JIAZHENG_EGRESS_ALLOW: list[str] = []

# Who is behind each lead host (leads/hosting/, crawler/host_lookups.py): DNS, RDAP and WHOIS,
# looked up in the background at a lead's first sight and re-check, and at capture. Each of these
# is also read from the environment (for capture, check and whois). No resolver: no lookups.
JIAZHENG_DNS_RESOLVER = ""  # host:port of the DNS resolver asked (UDP)
JIAZHENG_RDAP_BOOTSTRAP = ""  # folder with IANA's dns.json, ipv4.json, ipv6.json (never fetched)
JIAZHENG_WHOIS_SERVERS = ""  # suffix=host[:port],… for registries without RDAP (cn=whois.cnnic.cn)
JIAZHENG_HOST_FACTS_TIMEOUT = 5.0  # seconds per source and lookup
JIAZHENG_HOST_FACTS_TTL = 86400  # seconds a host's stored lookup answers for it
JIAZHENG_HOST_FACTS_RATE = 4  # host lookups started per second, at most
JIAZHENG_HOST_FACTS_WORKERS = 4  # lookups at once

# With ``crawl --redis``: the Redis list every worker pushes its observations to, for
# ``jiazheng drain`` (set per session by crawler/runner.py; empty without --redis).
JIAZHENG_REDIS_ITEMS_KEY = ""

# --- politeness ----------------------------------------------------------------------------
# Monitoring fraud sites: their robots.txt must not hide them; engines are kept slow instead.
ROBOTSTXT_OBEY = False
# Engines serve their normal markup only to a browser-like agent.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%
# One slot per engine host: slow and serial, so engines don't answer with captchas.
DOWNLOAD_SLOTS = {
    engine.hosts[0]: {"concurrency": 1, "delay": engine.slot_delay, "jitter": 0.5}
    for engine in _search.ENGINES
}

# --- limits against hostile sites ------------------------------------------------------------
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # larger pages are cancelled and recorded as too_large
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 8
RETRY_TIMES = 1
DEPTH_LIMIT = 0  # depth is bounded by JIAZHENG_FOLLOW_DEPTH, per role
DNS_TIMEOUT = 10
# Names resolving to internal addresses are refused before connecting (crawler/egress.py).
TWISTED_DNS_RESOLVER = "crawler.egress.GuardedResolver"
# A refresh within a second is a redirect; a later one leaves the page to be judged as itself,
# and its target is followed as a link (crawler/follow.py).
METAREFRESH_MAXDELAY = 1

# Redirect hops are never duplicates (loops must be recorded); see crawler/dupefilters.py.
DUPEFILTER_CLASS = "crawler.dupefilters.LocalDupeFilter"

# --- components ----------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    "crawler.egress.EgressMiddleware": 50,  # first: a refused request is never sent
    "crawler.budget.SearchBudgetMiddleware": 60,  # result pages beyond tonight's budget
    # Scrapy's cookie middleware builds a TLDExtract that fetches the suffix list online.
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.OfflineCookiesMiddleware": 700,
    "crawler.middlewares.ProxyMiddleware": 740,
    # Turns a 304 into the stored page before decompression and encoding repair see it.
    "crawler.middlewares.ConditionalRequestMiddleware": 800,
    "crawler.middlewares.EncodingMiddleware": 585,  # after decompression (590)
    # Sees a response before RetryMiddleware (550): a proxy's "no such host" is not retried.
    "crawler.middlewares.NoRetryOnDeadHostMiddleware": 560,
    "crawler.middlewares.TlsSignalMiddleware": 970,
}
ITEM_PIPELINES = {
    "crawler.pipelines.score.ScorePipeline": 200,
    "crawler.pipelines.store.StorePipeline": 300,
}
EXTENSIONS = {
    "crawler.crawl_store.CrawlStore": 100,  # the crawl's one store connection, shared
    "crawler.extensions.ProgressLine": 500,
    "crawler.extensions.Watchdog": 510,
    "crawler.extensions.RedactLogs": 0,
    "crawler.host_lookups.HostLookups": 520,  # off without JIAZHENG_DNS_RESOLVER
}

# --- browser (scrapy-playwright; used only for requests with meta["playwright"]) ---------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# One handler object for both schemes (one browser per crawl), with JIAZHENG_RENDER_TIMEOUT.
DOWNLOAD_HANDLERS = {
    "http": "crawler.renderer.BoundedPlaywrightHandler",
    "https": "crawler.renderer.BoundedPlaywrightHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.abort_heavy_request"
# The launch options (executable, proxy, flags) are filled from JIAZHENG_* settings by
# crawler.browser.configure_browser, called from the spider's update_settings.

# The HTTP cache breaks scrapy-playwright; incremental crawling is done by the store instead.
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
