"""The backup site as one system: its highly available store's configuration, the roster
of its seats, the wall screen's figures."""
