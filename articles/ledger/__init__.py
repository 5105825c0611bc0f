"""The flush ledger: which Redis batches of view counts the database already holds.

A tiny app of its own (one table) so that `flush_views` can apply each batch exactly once even
when a flusher dies between committing the counts and deleting the batch from Redis: the batch
name is inserted in the same transaction as the counts, so "applied" and "recorded" can never
disagree. See `articles/counters.py`.
"""
