"""Reads of notices: the publisher's office and the addressed managers."""
