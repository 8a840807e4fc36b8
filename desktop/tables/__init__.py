"""Table packs: the lookup knowledge the primary site ships (read, validate, import)."""
