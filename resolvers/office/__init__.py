"""Reads of office work: evaluations and tender filings."""
