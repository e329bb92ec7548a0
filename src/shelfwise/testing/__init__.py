"""Seeded generators of realistic demo and benchmark data (records, branches)."""
