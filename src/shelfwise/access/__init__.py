"""Who may do what: staff accounts and roles, reader and staff sessions, API tokens,
login lockouts shared by every door, and the audit trail of staff reads of reader data (P7)."""
