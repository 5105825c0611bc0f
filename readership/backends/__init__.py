"""Where counts are kept: the database (`database.py`) or a Redis buffer (`redis.py`), both
behind the interface of `base.ViewStore`. NEWSROOM_VIEW_STORE picks one (`counts.store`)."""
