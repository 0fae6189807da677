"""Use cases the windows and the command line share; each reports what changed."""
