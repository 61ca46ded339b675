"""A dispatcher process that dies the moment Twilio has accepted its first text: after the
API call, before the commit that records it.
python -m tests.services.outbox.crashing_dispatcher ISO

Test-only. The gateway is the real one; only the process dies, as a kill -9 would make it.
"""

import os
import sys
from datetime import datetime

from server import create_app
from server.jobs.tasks import tick
from server.sms.gateway import OutgoingSms, SentSms
from server.sms.twilio_gateway import TwilioGateway

CRASHED = 75


class DiesAfterSend(TwilioGateway):
    """The Twilio gateway, in a process that dies as soon as a send has succeeded."""

    def send(self, sms: OutgoingSms) -> SentSms:
        super().send(sms)
        os._exit(CRASHED)  # no commit, no cleanup, no exception handlers


def main() -> None:
    app = create_app()
    config = app.config
    settings = (config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
    with app.app_context():
        at = datetime.fromisoformat(sys.argv[1])
        tick(at, lambda: DiesAfterSend(*settings, api_url=config["TWILIO_API_URL"]))
    sys.exit("nothing was sent: the dispatcher had nothing due")


if __name__ == "__main__":
    main()
