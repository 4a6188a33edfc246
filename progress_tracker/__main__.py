"""`python -m progress_tracker`: a Jupyter server with the tracker (`--help-all` lists every option)."""

from .app import ProgressTracker

if __name__ == "__main__":
    ProgressTracker.launch_instance()
