"""URLs: dashboard."""

urlpatterns: list = []
