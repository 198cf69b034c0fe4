"""Deterministic demo and scale data (the generator arrives with the metrics issue)."""
