"""A small cache for reads that are expensive to compute and cheap to throw away.

`Cache` (base.py) is the one interface routes and services see; `backend.py` opens the
implementation the project has: Redis when it runs a job queue, a dictionary in the
process otherwise. Swap it by writing another class with the same three methods and
opening it in `backend.open_cache`.
"""
