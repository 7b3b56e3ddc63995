"""Security rules: production settings, the Content-Security-Policy, who may write, login rate limiting.

The settings tests start `manage.py` in a subprocess because settings are read once per process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from timeline.models import Action, Article, Company, Deadline, Mention

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "example.com"}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides: str) -> dict[str, str]:
    return {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **overrides}


# --- production settings -------------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key():
    """DJANGO_DEBUG=0 without DJANGO_SECRET_KEY is a configuration error, not a silent default key."""
    result = run_manage("check", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    """`check --deploy --fail-level WARNING` is clean with production settings."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_notices_when_https_protections_are_switched_off():
    """The HTTPS switches really are read from the environment (and the deploy check catches them)."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_HSTS_SECONDS="0", DJANGO_SECURE_COOKIES="0"),
    )
    assert result.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stdout + result.stderr


def _settings_in_subprocess(env: dict[str, str]) -> dict:
    names = [
        "DEBUG",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_https_only_and_configurable():
    """Production turns on secure cookies, HSTS and the HTTPS redirect; each can be set from the environment."""
    strict = _settings_in_subprocess(production_env())
    assert strict["DEBUG"] is False
    assert strict["ALLOWED_HOSTS"] == ["example.com"]
    assert strict["SECURE_SSL_REDIRECT"] is True
    assert strict["SESSION_COOKIE_SECURE"] is True and strict["CSRF_COOKIE_SECURE"] is True
    assert strict["SESSION_COOKIE_HTTPONLY"] is True
    assert strict["SECURE_HSTS_SECONDS"] >= 31536000
    assert strict["SECURE_PROXY_SSL_HEADER"] is None  # trusting X-Forwarded-Proto must be asked for

    relaxed = _settings_in_subprocess(
        production_env(
            DJANGO_ALLOWED_HOSTS="a.example, b.example",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_HSTS_SECONDS="60",
            DJANGO_BEHIND_PROXY="1",
        )
    )
    assert relaxed["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert relaxed["SECURE_SSL_REDIRECT"] is False
    assert relaxed["SESSION_COOKIE_SECURE"] is False and relaxed["CSRF_COOKIE_SECURE"] is False
    assert relaxed["SECURE_HSTS_SECONDS"] == 60
    assert relaxed["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


# --- Content-Security-Policy -----------------------------------------------------------------------


class ScriptAudit(HTMLParser):
    """Collects every <script> (attributes and body) and every inline event handler in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.javascript_urls: list[str] = []
        self._open_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            url_attribute = name in {"href", "src", "action", "formaction", "hx-get", "hx-post"}
            if url_attribute and "".join((value or "").split()).lower().startswith("javascript:"):
                self.javascript_urls.append(value)
        if tag == "script":
            self._open_script = {"attrs": attributes, "body": ""}
            self.scripts.append(self._open_script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open_script = None

    def handle_data(self, data):
        if self._open_script is not None:
            self._open_script["body"] += data


def audit(html: str) -> ScriptAudit:
    parser = ScriptAudit()
    parser.feed(html)
    parser.close()
    return parser


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def sample_action(db):
    company = Company.objects.create(name="Example Networks", slug="example-networks")
    article = Article.objects.create(
        title="Ministry bans Example Networks",
        source_name="The Daily Example",
        published_on=dt.date(2024, 3, 1),
        body="On Friday the ministry banned Example Networks.",
        extracted_text="On Friday the ministry banned Example Networks.",
        content_hash="a" * 64,
        status=Article.Status.DONE,
    )
    action = Action.objects.create(
        action_type=Action.Type.BAN,
        actor_name="The ministry",
        occurred_from=dt.date(2024, 3, 1),
        occurred_to=dt.date(2024, 3, 1),
        summary="The ministry banned Example Networks",
        search_text="The ministry banned Example Networks",
    )
    action.targets.add(company)
    Mention.objects.create(action=action, article=article, sentence=article.body, start_char=0, end_char=47)
    Deadline.objects.create(action=action, due_on=dt.date(2024, 6, 1), what="Divest", derivation="90 days")
    return action


def test_timeline_sends_a_self_only_content_security_policy(client, sample_action):
    """Scripts, styles and everything else may come from our own origin only; no inline or eval."""
    response = client.get(reverse("timeline_index"))
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "*" not in header


def test_public_pages_have_no_inline_script_and_no_event_handlers(client, sample_action):
    """Every <script> loads a file from our origin, so the CSP needs no 'unsafe-inline'."""
    company = sample_action.targets.get()
    article = sample_action.mentions.get().article
    pages = [
        reverse("timeline_index"),
        reverse("action_detail", args=[sample_action.pk]),
        reverse("company_detail", args=[company.slug]),
        reverse("article_detail", args=[article.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = audit(response.content.decode())
        for script in page.scripts:
            assert script["attrs"].get("src"), f"inline <script> on {url}: {script['body'][:80]!r}"
            assert not script["body"].strip(), url
            source = script["attrs"]["src"]
            assert source.startswith("/") and not source.startswith("//"), f"{url} loads {source}"
        assert page.handlers == [], url
        assert page.javascript_urls == [], url


def test_timeline_loads_htmx_from_our_own_static_files(client, sample_action):
    """htmx is served by django-htmx from our static files, which 'self' covers."""
    page = audit(client.get(reverse("timeline_index")).content.decode())
    sources = [s["attrs"]["src"] for s in page.scripts]
    static_prefix = "/" + django_settings.STATIC_URL.lstrip("/")
    assert any("htmx" in src and src.startswith(static_prefix) for src in sources), sources


def test_security_headers_on_public_pages(client, sample_action):
    response = client.get(reverse("timeline_index"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-enough-password-1")
    client.force_login(user)
    return client


def test_admin_works_under_the_same_policy(staff_client, sample_action):
    """The admin renders under our CSP: its scripts are files (Django 6's admin has no inline JS)."""
    article = sample_action.mentions.get().article
    urls = [
        reverse("admin:index"),
        reverse("admin:timeline_article_changelist"),
        reverse("admin:timeline_article_add"),
        reverse("admin:timeline_article_change", args=[article.pk]),
        reverse("admin:timeline_action_changelist"),
        reverse("admin:timeline_action_change", args=[sample_action.pk]),
        reverse("admin:timeline_company_changelist"),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert csp_directives(response)["script-src"] == ["'self'"], url
        page = audit(response.content.decode())
        assert all(s["attrs"].get("src") for s in page.scripts), url
        assert page.handlers == [], url


# --- who may write -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    for url in [reverse("admin:index"), reverse("admin:timeline_article_add")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("admin:login"))


def test_anonymous_upload_is_redirected_to_login_and_stores_nothing(client, db):
    response = client.post(
        reverse("admin:timeline_article_add"),
        {"title": "Forged", "body": "Forged text", "published_on": "2024-01-01"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))
    assert not Article.objects.exists()


def test_anonymous_edits_and_reviews_are_refused(client, sample_action):
    """Change, delete and bulk actions on actions and companies need a staff login."""
    company = sample_action.targets.get()
    posts = [
        (reverse("admin:timeline_action_change", args=[sample_action.pk]), {"summary": "Forged"}),
        (reverse("admin:timeline_action_delete", args=[sample_action.pk]), {"post": "yes"}),
        (reverse("admin:timeline_company_delete", args=[company.pk]), {"post": "yes"}),
        (
            reverse("admin:timeline_action_changelist"),
            {"action": "delete_selected", "_selected_action": [sample_action.pk], "post": "yes"},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith(reverse("admin:login")), url
    sample_action.refresh_from_db()
    assert sample_action.summary == "The ministry banned Example Networks"
    assert Company.objects.filter(pk=company.pk).exists()


def test_logged_in_non_staff_users_cannot_reach_the_admin(client, db, sample_action):
    user = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-enough-password-1")
    client.force_login(user)
    response = client.get(reverse("admin:timeline_article_add"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))
    response = client.post(reverse("admin:timeline_action_change", args=[sample_action.pk]), {"summary": "Forged"})
    assert response.status_code == 302
    sample_action.refresh_from_db()
    assert sample_action.summary == "The ministry banned Example Networks"


def test_staff_without_permissions_are_refused(client, db, sample_action):
    """Being staff opens the admin, not every model: writes still need the model permission."""
    user = get_user_model().objects.create_user(
        "intern", "intern@example.com", "a-long-enough-password-1", is_staff=True
    )
    client.force_login(user)
    assert client.get(reverse("admin:timeline_article_add")).status_code == 403
    response = client.post(reverse("admin:timeline_action_change", args=[sample_action.pk]), {"summary": "x"})
    assert response.status_code == 403


def test_staff_can_open_the_upload_form(staff_client):
    assert staff_client.get(reverse("admin:timeline_article_add")).status_code == 200


READ_ONLY_ENDPOINTS = [
    ("timeline_index", ()),
    ("export_csv", ()),
    ("export_json", ()),
    ("deadlines_ics", ()),
    ("actions_feed", ()),
]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_are_read_only(client, sample_action, method):
    """The public side only answers GET (and HEAD); every write method is 405 Method Not Allowed."""
    company = sample_action.targets.get()
    article = sample_action.mentions.get().article
    urls = [reverse(name, args=args) for name, args in READ_ONLY_ENDPOINTS] + [
        reverse("action_detail", args=[sample_action.pk]),
        reverse("company_detail", args=[company.slug]),
        reverse("article_detail", args=[article.pk]),
    ]
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 405, f"{method.upper()} {url} -> {response.status_code}"
    assert Action.objects.count() == 1 and Company.objects.filter(pk=company.pk).exists()


# --- login rate limiting -------------------------------------------------------------------------


def test_admin_login_locks_out_after_repeated_failures(client, django_user_model, settings):
    """After AXES_FAILURE_LIMIT wrong passwords, even the right one is refused (django-axes)."""
    django_user_model.objects.create_superuser("editor", "editor@example.com", "the-right-password-42")
    login_url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": "editor", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error
    # The failure that reaches the limit is answered with the lockout itself.
    assert client.post(login_url, {"username": "editor", "password": "wrong-password"}).status_code == 429
    response = client.post(login_url, {"username": "editor", "password": "the-right-password-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_correct_login_below_the_limit_succeeds(client, django_user_model, settings):
    """The lockout is not a tripwire for one typo: fewer failures than the limit still let the editor in."""
    django_user_model.objects.create_superuser("editor", "editor@example.com", "the-right-password-42")
    login_url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login_url, {"username": "editor", "password": "wrong-password"})
    response = client.post(login_url, {"username": "editor", "password": "the-right-password-42"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_a_proxy_the_lockout_follows_the_client_not_the_proxy(client, django_user_model, settings):
    """With DJANGO_BEHIND_PROXY, one client's failures do not lock the editor out from everywhere else."""
    from timeline.settings import client_ip_behind_proxy

    settings.AXES_CLIENT_IP_CALLABLE = client_ip_behind_proxy
    django_user_model.objects.create_superuser("editor", "editor@example.com", "the-right-password-42")
    login_url = reverse("admin:login")
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url, {"username": "editor", "password": "wrong"}, **attacker)
    locked = client.post(login_url, {"username": "editor", "password": "the-right-password-42"}, **attacker)
    assert locked.status_code == 429
    # A forged first entry does not help the attacker: the proxy's own entry is the one that counts.
    forged = {**attacker, "HTTP_X_FORWARDED_FOR": "192.0.2.1, 198.51.100.7"}
    assert (
        client.post(login_url, {"username": "editor", "password": "the-right-password-42"}, **forged).status_code == 429
    )
    editor = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.50"}
    response = client.post(login_url, {"username": "editor", "password": "the-right-password-42"}, **editor)
    assert response.status_code == 302
