"""The read model: what the dashboard shows, kept up to date in every write transaction.

The executions stay the source of truth; these tables are derived from them (`rebuild.py`
recomputes them) so that a snapshot reads O(students x cells) rows and never the history.
"""
