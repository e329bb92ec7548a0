"""Spaces: rooms and seats of each branch, booked by readers in slots (issue 19)."""
