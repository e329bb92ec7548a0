"""The command line: thin commands over the services built by app.py."""
