"""A NUL character in the path or query is refused with 400, never a 500 from the database."""


def test_nul_in_an_api_query_is_a_json_400(client):
    response = client.get("/api/v1/teams/0/report?course=%00")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_character"


def test_nul_in_a_page_path_or_query_is_a_400_page(client):
    for path in ("/courses/%00", "/?ref=%00"):
        response = client.get(path)
        assert response.status_code == 400
        assert "Địa chỉ có ký tự không hợp lệ." in response.get_data(as_text=True)
