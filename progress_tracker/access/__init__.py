"""Who may do what: the deployment mode, the caller's identity, and the collector's lock-down.

Nothing here imports the pipeline or the store: a locked-down collector and a forwarder load this
folder before anything heavy.
"""

# The jupyter_server authorization resource of every tracker handler.
AUTH_RESOURCE = "progress_tracker"
