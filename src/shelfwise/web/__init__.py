"""The web door: server-rendered pages (Jinja2) for readers, and later the staff client.

See ``docs/web.md`` for the conventions (languages, CSRF, sessions, tests).
"""
