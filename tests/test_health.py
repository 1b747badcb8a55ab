import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_cache_and_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_readyz_is_503_and_names_what_failed_when_redis_is_down(client, redis_server):
    redis_server.stop()
    try:
        response = client.get("/readyz")
    finally:
        redis_server.start()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable",
                               "broker": "unavailable"}
    assert client.get("/readyz").status_code == 200


def test_health_endpoints_are_not_cached_and_refuse_other_methods(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_probes_are_answered_whatever_the_host_header(client):
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/en/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.fixture
def behind_proxy(settings):
    from consular_portal import proxy

    settings.TRUSTED_PROXY_COUNT = 1
    proxy.reset()
    yield
    proxy.reset()


def test_readyz_warns_when_requests_reach_gunicorn_without_the_proxy(client, behind_proxy):
    assert "warnings" not in client.get("/readyz").json()
    client.get("/en/", REMOTE_ADDR="198.51.100.7")  # no X-Forwarded-For: straight to gunicorn
    response = client.get("/readyz")
    assert response.status_code == 200  # still ready, but the body names the problem
    body = response.json()
    assert body["status"] == "ok"
    assert "without X-Forwarded-For" in body["warnings"][0] and "198.51.100.7" in body["warnings"][0]


def test_requests_through_the_proxy_and_probes_raise_no_warning(client, behind_proxy):
    client.get("/en/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.get("/healthz", REMOTE_ADDR="10.0.0.3")  # probes reach the container directly
    assert "warnings" not in client.get("/readyz").json()


def test_no_warning_when_clients_connect_directly_by_design(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client.get("/en/")
    assert "warnings" not in client.get("/readyz").json()


def test_check_deploy_names_a_request_that_came_around_the_proxy(client, behind_proxy):
    from consular_portal.checks import check_requests_came_through_the_proxy

    assert check_requests_came_through_the_proxy(None) == []
    client.get("/en/", REMOTE_ADDR="198.51.100.7")
    [warning] = check_requests_came_through_the_proxy(None)
    assert warning.id == "consular_portal.W002" and "198.51.100.7" in warning.msg


def test_client_ip_warns_once_when_x_forwarded_for_is_short(rf, settings, caplog):
    from consular_portal import ratelimits

    settings.TRUSTED_PROXY_COUNT = 2
    ratelimits._warned_short_forwarded_for = False
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    with caplog.at_level("WARNING", logger="consular_portal.ratelimits"):
        assert ratelimits.client_ip(request) == "10.0.0.2"
        assert ratelimits.client_ip(request) == "10.0.0.2"
    warnings = [r for r in caplog.records if "TRUSTED_PROXY_COUNT is 2" in r.getMessage()]
    assert len(warnings) == 1
