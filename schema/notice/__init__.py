"""Notices (SPEC 3.3): published by an office, read by the managers below it."""
