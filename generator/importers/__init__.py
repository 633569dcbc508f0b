"""Importers: content written for other tools, turned into Taawun content (`taawun import …`)."""


class UsageError(Exception):
    """The command cannot run with what it was given (exit code 2)."""
