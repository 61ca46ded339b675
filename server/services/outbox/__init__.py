"""The outbox: enqueue a text; dispatcher.py claims, sends and records it."""
