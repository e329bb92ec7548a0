"""Storage: the engine, the tables, the linear migration history, the outbox and the scheduler."""
