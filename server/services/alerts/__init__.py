"""Staff alerts: urgent flags at once, escalation to admins, a daily digest, all without PHI.

Notifications leave through their own outbox (the `notification` table) with the discipline of
patient texts: a job process claims due rows and commits (services/row_claims.py), sends
outside the transaction (email through server/mail, staff SMS through the SMS gateway), then
records the answer. Entry points:

- `flag_became_urgent(flag, now)`: the flag path calls it; queues the owner's alerts.
- `plan_due(now)`: the jobs tick; reopens snoozed flags, escalates, queues digests.
- `Notifier(...).run()`: the jobs tick; sends what is due.
"""

from server.services.alerts.planning import plan_due
from server.services.alerts.recipients import flag_became_urgent
from server.services.alerts.sending import Notifier, NotifySettings

__all__ = ["Notifier", "NotifySettings", "flag_became_urgent", "plan_due"]
