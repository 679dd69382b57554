"""Every /voice/* request must carry a valid X-Twilio-Signature; otherwise 403 and nothing changes."""
from __future__ import annotations

import dataclasses

import pytest
from redis import Redis

from callcenter.web.app import create_app

from ..conftest import build_helpline
from ..support.calls import new_call_sid
from ..support.helpers import SECONDARY_TOKEN, Webhooks, call_params

VOICE_ROUTES = ["/voice/incoming", "/voice/language?s=1", "/voice/route?s=1", "/voice/dial-result?s=1",
                "/voice/screen?staff=1&call=CA" + "0" * 32, "/voice/screen/answer?staff=1&call=CA" + "0" * 32,
                "/voice/screen/taken",
                "/voice/status", "/voice/voicemail?s=1", "/voice/recording", "/voice/overflow-result?s=1",
                "/voice/ring-all/wait?s=1", "/voice/ring-all/result?s=1", "/voice/fallback", "/voice/fallback/after",
                "/voice/menu?s=1", "/voice/hold/wait", "/voice/hold/key", "/voice/hold/result?s=1",
                "/voice/ask/confirm?s=1", "/voice/callback/staff?attempt=1", "/voice/callback/staff-answer?attempt=1",
                "/voice/callback/caller?attempt=1", "/voice/callback/dial-result?attempt=1",
                "/voice/callback/staff-status?attempt=1", "/voice/callback/caller-status?attempt=1"]


def redis_keys(url: str) -> set[bytes]:
    return set(Redis.from_url(url).keys("*"))


def test_the_documented_example_signature_matches_the_validator() -> None:
    from twilio.request_validator import RequestValidator

    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675310", "Digits": "1234",
              "From": "+14158675310", "To": "+18005551212"}
    assert RequestValidator("12345").compute_signature("https://example.com/myapp.php?foo=1&bar=2", params) \
        == "L/OH5YylLD5NRKLltdqwSvS0BnU="


def test_a_correctly_signed_webhook_is_answered(webhooks: Webhooks) -> None:
    assert webhooks.post("/voice/incoming", call_params(new_call_sid())).status_code == 200


def test_every_voice_route_is_covered_by_the_signature_check(app) -> None:
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/voice")}
    assert routes == {path.split("?")[0].replace("/ask/confirm", "/ask/<question>") for path in VOICE_ROUTES}


@pytest.mark.parametrize("path", VOICE_ROUTES)
def test_an_unsigned_request_to_any_voice_route_gets_403_and_changes_nothing(webhooks: Webhooks, settings,
                                                                             path: str) -> None:
    before = redis_keys(settings.redis_url)
    response = webhooks.post(path, call_params(new_call_sid(), Digits="1"), signature="")
    assert response.status_code == 403
    assert redis_keys(settings.redis_url) == before


def test_a_tampered_parameter_is_refused(webhooks: Webhooks, settings) -> None:
    params = call_params(new_call_sid())
    signature = webhooks.sign("/voice/incoming", params)
    params["From"] = "+12025550188"
    before = redis_keys(settings.redis_url)
    assert webhooks.post("/voice/incoming", params, signature=signature).status_code == 403
    assert redis_keys(settings.redis_url) == before


def test_an_added_parameter_is_refused(webhooks: Webhooks) -> None:
    params = call_params(new_call_sid())
    signature = webhooks.sign("/voice/incoming", params)
    assert webhooks.post("/voice/incoming", {**params, "Digits": "1"}, signature=signature).status_code == 403


def test_a_signature_for_another_url_is_refused(webhooks: Webhooks) -> None:
    params = call_params(new_call_sid())
    for other in ("/voice/route?s=1", "/voice/incoming?x=1"):
        signature = webhooks.sign(other, params)
        assert webhooks.post("/voice/incoming", params, signature=signature).status_code == 403
    wrong_host = webhooks.sign("", params, url="https://attacker.example/voice/incoming")
    assert webhooks.post("/voice/incoming", params, signature=wrong_host).status_code == 403


def test_a_signature_made_with_another_token_is_refused(webhooks: Webhooks) -> None:
    params = call_params(new_call_sid())
    forged = webhooks.sign("/voice/incoming", params, token="not-our-token")
    assert webhooks.post("/voice/incoming", params, signature=forged).status_code == 403


def test_get_requests_are_not_accepted(webhooks: Webhooks) -> None:
    assert webhooks.client.get("/voice/incoming?CallSid=CA" + "1" * 32).status_code == 405


def test_behind_a_tls_proxy_the_public_base_url_is_what_is_checked(webhooks: Webhooks) -> None:
    """The app sees http://internal:8000/... but Twilio signed https://helpline.example.org/..."""
    params = call_params(new_call_sid())
    signature = webhooks.sign("/voice/incoming", params)  # signed for the public URL
    response = webhooks.post("/voice/incoming", params, signature=signature, base_url="http://internal:8000")
    assert response.status_code == 200


def app_for(settings, fake_twilio):  # type: ignore[no-untyped-def]
    return create_app(settings, helpline=build_helpline(settings, fake_twilio))


def test_behind_trusted_proxies_the_forwarded_url_is_what_is_checked(settings, fake_twilio) -> None:
    proxied = dataclasses.replace(settings, public_base_url=None, trusted_proxies=1)
    client = app_for(proxied, fake_twilio).test_client()
    hooks = Webhooks(client, proxied)
    params = call_params(new_call_sid())
    signature = hooks.sign("", params, url="https://helpline.example.org/voice/incoming")
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "helpline.example.org",
                 "X-Forwarded-For": "203.0.113.9"}
    assert hooks.post("/voice/incoming", params, signature=signature, headers=forwarded,
                      base_url="http://127.0.0.1:8000").status_code == 200
    # Without the trusted proxy the same request is checked against the internal URL: refused.
    untrusted = Webhooks(app_for(dataclasses.replace(proxied, trusted_proxies=0), fake_twilio).test_client(),
                         proxied)
    assert untrusted.post("/voice/incoming", params, signature=signature, headers=forwarded,
                          base_url="http://127.0.0.1:8000").status_code == 403


def test_during_a_token_rotation_the_secondary_token_is_accepted(settings, fake_twilio) -> None:
    rotating = dataclasses.replace(settings, twilio_auth_token_secondary=SECONDARY_TOKEN)
    hooks = Webhooks(app_for(rotating, fake_twilio).test_client(), rotating)
    params = call_params(new_call_sid())
    assert hooks.post("/voice/incoming", params,
                      signature=hooks.sign("/voice/incoming", params, token=SECONDARY_TOKEN)).status_code == 200
    assert webhooks_with_old_token_refused(hooks, params)


def webhooks_with_old_token_refused(hooks: Webhooks, params: dict[str, str]) -> bool:
    signature = hooks.sign("/voice/incoming", params, token="retired-token")
    return bool(hooks.post("/voice/incoming", params, signature=signature).status_code == 403)
