from __future__ import annotations

app_name = "api_clients"
urlpatterns: list = []
