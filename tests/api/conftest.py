"""The API tests use the fixtures of the service tests beside them (imported: pytest finds them).

Due check-ins (services/conftest.py), texts through the signed webhook
(services/conversation/conftest.py), treated patients replying (services/flags/conftest.py) and
alerts sent through a real SMTP server (services/alerts/conftest.py).
"""

from tests.services.alerts.conftest import notify, pain, smtp  # noqa: F401
from tests.services.conftest import scheduled  # noqa: F401
from tests.services.conversation.conftest import prompted, send, twilio_token  # noqa: F401
from tests.services.flags.conftest import reply, treated  # noqa: F401
