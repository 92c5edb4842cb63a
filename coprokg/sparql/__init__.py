"""SPARQL for the service: what is refused (``safety``), formats and negotiation (``formats``),
capped result writers (``results``) and the time-limited query workers (``pool``, ``worker``).

Kept free of heavy imports: query worker processes import from here at start-up.
"""
