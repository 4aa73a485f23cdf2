"""A query parameter the operation does not document answers 400, naming it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/catalogue/procedures/?pagesize=10",
        "/api/catalogue/fields/?q=dat-dai",
        "/api/pakn/published/?ordering=-likes",
        "/api/catalogue/procedures/1/?expand=all",
    ],
)
def test_undocumented_parameter_is_refused(client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    name = path.split("?")[1].split("=")[0]
    assert body["fields"] == {name: ["Tham số không được hỗ trợ."]}


def test_documented_parameters_are_accepted(client) -> None:
    response = client.get("/api/catalogue/procedures/?q=ho+tich&level=commune&page_size=5")

    assert response.status_code == 200
