"""Owners (SPEC 3.2): delegations, nominations, meetings, votes, ratings."""
