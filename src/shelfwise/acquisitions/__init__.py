"""Acquisitions: vendors, funds with yearly budgets per branch, orders and their lines,
receiving copies and invoices (issue 18). Built small, to grow."""
