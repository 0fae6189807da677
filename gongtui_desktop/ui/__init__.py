"""PySide6 windows: thin, they call the services and show the domain's figures."""
