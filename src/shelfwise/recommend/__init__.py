"""Recommendations: only with the reader's consent, from aggregates (issue 21, P11)."""
