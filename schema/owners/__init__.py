"""Owners (SPEC 3.2): verification, delegation, voter nomination, meetings, ratings."""
