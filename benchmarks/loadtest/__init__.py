"""`make loadtest`: a province's peak mix against gunicorn, PostgreSQL, Redis and the workers."""
