"""Storage: engine and pragmas, ORM models, migrations, contacts, drafts, table packs."""
