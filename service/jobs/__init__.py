"""Batch scoring on Redis and RQ: chunk jobs, workers, an embedded Redis for one-machine runs."""
