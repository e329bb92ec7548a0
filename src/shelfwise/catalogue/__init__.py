"""The catalogue: branches and locations, bibliographic records (MARC is the master), items."""
