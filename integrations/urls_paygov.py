"""URLs: paygov."""

urlpatterns: list = []
