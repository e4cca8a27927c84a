"""The ``Store``: one object over one SQLite file, the only code that knows the schema. Each
concern's queries live in their own module; the facade joins them so a caller holds one thing.

One lead per URL (upserted, first_seen/last_seen), every fetch kept with its body (deduplicated by
SHA-256 in ``bodies``), every run, query and search-engine sighting recorded.
"""

from __future__ import annotations

from leads.store.accounts import AccountWrites
from leads.store.crawl_memory import CrawlMemory
from leads.store.host_facts import HostFactsRecords
from leads.store.learning import LearnedExamples
from leads.store.networks import NetworkRecords
from leads.store.observations import ObservationWrites
from leads.store.referrals import ReferralRecords
from leads.store.reviews import LeadReviews
from leads.store.runs import RunQueries
from leads.store.statistics import StoreStatistics


class Store(ObservationWrites, RunQueries, CrawlMemory, LeadReviews, StoreStatistics,
            ReferralRecords, HostFactsRecords, LearnedExamples, AccountWrites,
            NetworkRecords):
    """Open (creating and migrating) a jiazheng database; all reads and writes go through here:
    ``Store(path)`` … ``store.close()``."""
