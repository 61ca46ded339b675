"""The SMS conversation: inbound.py receives a text; respond, keywords and replies answer it."""
