"""A job process that dies the moment the SMTP server has accepted its first alert email:
after the server's 250, before the commit that records it.
python -m tests.services.alerts.crashing_notifier ISO

Test-only. The mailer is the real SMTP one; only the process dies, as a kill -9 would make it.
"""

import sys
from datetime import datetime

from server import create_app
from server.jobs.tasks import tick
from server.mail.smtp import SmtpMailer
from tests.job_processes import dies_after_send

DiesAfterSend = dies_after_send(SmtpMailer)


def main() -> None:
    app = create_app()
    with app.app_context():
        tick(datetime.fromisoformat(sys.argv[1]), make_mailer=lambda: DiesAfterSend(app.config))
    sys.exit("nothing was sent: no alert was due")


if __name__ == "__main__":
    main()
