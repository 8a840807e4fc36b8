"""Delivering the seat's contacts to the primary CRM: the per-target outbox, the targets,
and the worker. Every revision is delivered at least once, keyed by (id, revision), so that
the receiving side can deduplicate. Qt-free."""
