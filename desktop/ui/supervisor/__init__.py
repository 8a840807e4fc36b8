"""The supervisor's view: opened with the PIN, beside the agent window."""
