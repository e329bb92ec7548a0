"""The interoperability door: SRU with CQL (``sru.py``, ``cql.py``, ``cql_search.py``) and
an OAI-PMH provider (``oai.py``, ``resumption.py``), both over the catalogue and search
services; ``dublin_core.py`` renders records for both. See ``docs/interop.md``."""
