"""Domain exceptions. Services raise them; one handler renders RFC 9457 problem+json."""


class DomainError(Exception):
    status = 400
    title = "Bad Request"

    def __init__(self, detail: str = "", *, errors: dict[str, list[str]] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not Found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class InvalidField(DomainError):
    """A value that passed the schema but breaks a domain rule; names the field."""

    status = 422
    title = "Unprocessable Content"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", errors={field: [message]})
