"""The REST API door (JSON over HTTP, described by OpenAPI)."""
