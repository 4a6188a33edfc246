"""The help queue: hands students raise, claimed and resolved by their course's staff.

`models.py` is the table, `hands.py` turns stored `help` / `help_stop` events into entries (in
the writer's transaction), `queue.py` reads, claims and resolves them within a caller's scope,
`notices.py` carries each change to this server's live sockets, and `relay.py` (with Redis) to
those of the other collector processes. docs/help.md is the guide.
"""
