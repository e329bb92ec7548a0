"""Tests of the spaces and events domains (issue 19)."""
