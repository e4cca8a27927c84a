"""Item pipelines, one concern per module, ordered in settings: score (200) then store (300)."""
