"""Flags: the one path that opens or updates a flag (store.py) and the rules evaluated."""
