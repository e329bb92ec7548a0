"""Shelfwise: a smart public-library platform."""

__version__ = "0.1.0"
