"""The outbox: texts we send first (prompts, reminders, codes, late replies), exactly once.

Read dispatcher.py first: it is the whole sending loop. Each other module has one job:
queue.py `enqueue` (add a row), claims.py `claim_due`/`claim_stuck` (take rows under a lease;
a `Claim` makes every later write of the row), send_rules.py `judge` (may it go now),
send_rate.py `SendPacer`, failures.py `record_failure` (what a refusal means),
reconcile.py `reconcile` (was a stuck row sent?), delivery.py (status history: `record_sent`,
Twilio's callbacks).
"""
