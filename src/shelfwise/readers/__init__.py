"""Readers: registration, cards, PINs and passwords, blocks, privacy and consent."""
