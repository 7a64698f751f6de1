"""Helpers for the API tests: a client that sends a bearer token and JSON."""

from __future__ import annotations

from factcheck.services import tokens as token_service

ARTICLE_BODY = (
    "The ministry said on Monday that 29 people were killed and 70 others wounded in the strike on the market.\n\n"
    "Officials said the convoy carried over 2,000 troops across the border, a figure Reuters could not "
    "independently verify.\n\n"
    "The missile travelled 355 miles before it struck the depot, according to the army."
)


class ApiClient:
    def __init__(self, flask_client, token: str | None):
        self.raw = flask_client
        self.token = token

    def _headers(self, headers):
        out = dict(headers or {})
        if self.token is not None and "Authorization" not in out:
            out["Authorization"] = f"Bearer {self.token}"
        return out

    def request(self, method: str, path: str, json=None, headers=None, **kwargs):
        if json is not None:
            kwargs["json"] = json
        return self.raw.open(path, method=method, headers=self._headers(headers), **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def make_token(session, user, scope: str = "write") -> str:
    return token_service.create_token(session, user.id, name=f"{user.username}-{scope}", scope=scope).plain
