"""Office work (SPEC 3.3): half-year evaluations and tender filings."""
