"""Background jobs. The scheduler only ticks: what is due lives in our tables, never in it.

`flask --app wsgi jobs run` runs the scheduler in its own process (as many as you like: every
row is claimed atomically); `jobs tick [--at ISO-8601]` runs every due job once; with
SCHEDULER=embedded the development server runs it in a background thread.
"""
