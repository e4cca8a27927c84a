"""Learning from analysts' decisions: every lead confirmed (已确认) or rejected (误报) is a labelled
example; ``fit`` gathers them from the store and keeps them as the model the next crawl judges
with (``leads.judge.learned_similarity``: what it compares and when it may change a verdict), and
``similar_decided_leads`` names the decided leads most like a given one, for the review pages.
The judge stays pure: this wing reads and writes the store, the judge only receives the model."""

from leads.learning.model import FitReport, fit, load_model, similar_decided_leads

__all__ = ["FitReport", "fit", "load_model", "similar_decided_leads"]
