"""Call events from the telephony side: validation, merging by call, and the intakes
(local HTTP endpoint, the single-instance socket used by ``repli pop``). Qt-free."""
