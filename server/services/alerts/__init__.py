"""Staff alerts: urgent flags at once, escalation to admins, a daily digest, all without PHI.

Notifications leave through their own outbox (the `notification` table) with the discipline of
patient texts: a job process claims due rows and commits (services/row_claims.py), sends
outside the transaction (email through server/mail, staff SMS through the SMS gateway), then
records the answer. Entry points:

- `recipients.flag_became_urgent(flag, now)`: the flag path calls it; queues the alerts.
- `planning.plan_due(now)`: the jobs tick; reopens snoozed flags, escalates, queues digests.
- `sending.Notifier(...).run()`: the jobs tick; sends what is due.

Nothing is imported here: the flag path imports `recipients` alone, without the sender.
"""
