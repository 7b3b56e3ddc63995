"""A small browser for the load test, on the standard library only: a cookie jar per
session, redirects not followed (a 302 is an answer worth seeing), CSRF tokens read
from the forms, multipart uploads, and the time every request took."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


@dataclass
class Reply:
    status: int
    body: str
    location: str
    seconds: float


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError carrying the 3xx, which we turn into a Reply


class Browser:
    """One visitor: its own cookies, so each uploader has its own session and CSRF cookie."""

    def __init__(self, base_url: str, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects())

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self._send(urllib.request.Request(self.base_url + path, headers=headers or {}))

    def post(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes, str]] | None = None,
        referer: str | None = None,
    ) -> Reply:
        if files:
            body, content_type = encode_multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            method="POST",
            # Django's CSRF check wants a same-origin Referer/Origin on HTTPS only; send Origin anyway.
            headers={"Content-Type": content_type, "Origin": self.base_url, "Referer": referer or self.base_url + path},
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> Reply:
        started = time.perf_counter()
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, body, location = response.status, response.read(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, body, location = error.code, error.read(), error.headers.get("Location", "")
        return Reply(status, body.decode("utf-8", errors="replace"), location, time.perf_counter() - started)

    def login(self, username: str, password: str) -> Reply:
        """Log in through the admin's own login form (django-axes sees the request)."""
        form = self.get("/admin/login/?next=/admin/")
        token = csrf_token(form.body)
        return self.post(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        )


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if not match:
        raise RuntimeError("no CSRF token in the form")
    return match.group(1)


def encode_multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
