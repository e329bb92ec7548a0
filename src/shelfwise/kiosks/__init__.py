"""Kiosks: the self-check terminal accounts (who may log in over SIP2, from where, asking
what, in which character set) and the staff's kiosk alerts. The SIP2 door (``shelfwise.sip2``)
speaks the protocol for them; the accounts and alerts are data the administration page, the
API and the CLI manage too, so they live here, below every door."""
