"""Statistics without tracking (issue 21): counters kept as circulation acts, read suppressed
below k readers (P17, docs/analytics.md)."""
