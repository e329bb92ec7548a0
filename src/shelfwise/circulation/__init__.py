"""Circulation: rules, calendars, loans, holds, transits, fees, notices and availability."""
