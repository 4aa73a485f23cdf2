"""Placeholder: replaced by the session guard (idle timeout, revoked sessions)."""


class SessionGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
