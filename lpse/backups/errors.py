"""The one error type the backup engine raises to its callers (command, task, views)."""


class BackupError(Exception):
    """A backup, verify, restore or prune cannot go on; the message is Indonesian."""
