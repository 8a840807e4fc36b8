"""The supervisor's side of a seat: PIN, review, exports, merge, exercises, retention (Qt-free)."""
