"""The seat itself: is it ready to take calls (``repli doctor``)."""
