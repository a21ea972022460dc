"""``me``: the signed-in account."""
