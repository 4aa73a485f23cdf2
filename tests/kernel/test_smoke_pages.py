import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_by_default(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert "Dịch vụ công trực tuyến" in response.content.decode()
