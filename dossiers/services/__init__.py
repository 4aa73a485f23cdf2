"""Write operations on dossiers. Views, API and tasks call only these."""


class DossierError(Exception):
    """A refused operation, with a Vietnamese message for the user."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
