"""Repli: the agent desktop of a call center's backup site in degraded mode."""

__version__ = "0.1.0"
