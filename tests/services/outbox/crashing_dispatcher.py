"""A dispatcher process that dies the moment Twilio has accepted its first text: after the
API call, before the commit that records it.
python -m tests.services.outbox.crashing_dispatcher ISO

Test-only. The gateway is the real one; only the process dies, as a kill -9 would make it.
"""

import sys
from datetime import datetime

from server import create_app
from server.jobs.tasks import tick
from server.sms.twilio_gateway import TwilioGateway
from tests.job_processes import dies_after_send

DiesAfterSend = dies_after_send(TwilioGateway)


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
