import pytest

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_the_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_forbidden_page_is_explained_in_vietnamese(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/lich-lam-viec/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
