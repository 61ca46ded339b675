"""Check-ins: planning glue (planning.py), state changes, prompts due and reminders."""
