"""Where state lives: Redis for live state, the database for the record."""
