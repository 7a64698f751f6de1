"""The safe fetcher against a real HTTP server on 127.0.0.1 (no mock of the HTTP layer).

The server is allowed through allow_hosts (as an administrator would allow a
host with FACTCHECK_FETCH_ALLOW_HOSTS); every other internal address must be
refused, before any connection is made to it.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factcheck.config import ConfigurationError, fetch_settings
from factcheck.fetching import fetch as fetch_module
from factcheck.fetching.fetch import FEED_TYPES, FetchRefused, fetch, robots_allows

ARTICLE = b"<!doctype html><html><head><title>Strike</title></head><body><p>Six missiles.</p></body></html>"
ETAG = '"v1"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: list[str] = []
    user_agents: list[str] = []

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: C901 - one route table
        self.hits.append(self.path)
        self.user_agents.append(self.headers.get("User-Agent", ""))
        port = self.server.server_address[1]
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE, ETag=ETAG, Last_Modified="Sat, 05 Dec 2026 10:00:00 GMT")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect("/article" if n == 0 else f"/chain/{n - 1}", 301 if n % 2 else 307)
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/to-loopback-2":
            self._redirect(f"http://127.0.0.2:{port}/article")
        elif path == "/to-ten":
            self._redirect("http://10.1.2.3/admin")
        elif path == "/to-ipv6-loopback":
            self._redirect(f"http://[::1]:{port}/article")
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-ftp":
            self._redirect("ftp://example.org/file")
        elif path == "/huge":
            # No Content-Length: the size is only known by reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(200):  # 200 x 64 kB = 12.8 MB
                    self.wfile.write(b"<p>" + b"x" * 65_529 + b"</p>")
            except OSError:
                pass  # the fetcher hung up, as it should
            self.close_connection = True
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50_000_000))
            self.end_headers()
            self.close_connection = True
        elif path == "/gzip-bomb":
            body = gzip.compress(b"<p>" + b"a" * 20_000_000, compresslevel=9)
            self._send(200, body, Content_Encoding="gzip")
        elif path == "/gzip":
            self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/deflate":
            self._send(200, zlib.compress(ARTICLE), Content_Encoding="deflate")
        elif path == "/slow":
            # A byte every 0.2 s: never idle long enough for the read timeout, cut by the deadline.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/slow-unsized":
            # No Content-Length: the end of the body is the end of the connection.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"<p>")
            self.wfile.flush()
            time.sleep(3)
            self.close_connection = True
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        elif path == "/feed":
            self._send(200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(200, ARTICLE, ETag=ETAG)
        elif path == "/missing":
            self._send(404, b"not here")
        elif path == "/robots.txt":
            self._send(
                200,
                b"User-agent: FactcheckTracker\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n",
                "text/plain",
            )
        else:
            self._send(404, b"no such test page")


def _serve(address: str, family: int = socket.AF_INET) -> ThreadingHTTPServer:
    class Server(ThreadingHTTPServer):
        address_family = family
        daemon_threads = True

    server = Server((address, 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server():
    server = _serve("127.0.0.1")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


LOCAL = frozenset({"127.0.0.1"})


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    _Handler.hits.clear()
    _Handler.user_agents.clear()
    fetch_module._robots_cache.clear()
    monkeypatch.delenv("FACTCHECK_FETCH_ALLOW_HOSTS", raising=False)
    monkeypatch.delenv("FACTCHECK_FETCH_MAX_BYTES", raising=False)


def _refused(url: str, **kwargs) -> FetchRefused:
    with pytest.raises(FetchRefused) as info:
        fetch(url, **kwargs)
    assert str(info.value)  # a message for the user, always
    return info.value


def test_fetches_a_page_with_its_metadata_and_identifies_itself(server, monkeypatch):
    monkeypatch.setenv("FACTCHECK_PUBLIC_URL", "https://desk.example.org")
    result = fetch(f"{server}/article", allow_hosts=LOCAL)
    assert result.status == 200
    assert result.body == ARTICLE
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert result.etag == ETAG and result.last_modified == "Sat, 05 Dec 2026 10:00:00 GMT"
    assert result.url == f"{server}/article" and result.redirects == ()
    assert result.fetched_at.tzinfo is not None
    assert _Handler.user_agents == ["FactcheckTracker/0.1 (+https://desk.example.org/)"]


def test_follows_a_redirect_chain_and_reports_it(server):
    result = fetch(f"{server}/chain/3", allow_hosts=LOCAL)
    assert result.body == ARTICLE
    assert result.url == f"{server}/article"
    assert result.redirects == tuple(f"{server}/chain/{n}" for n in (3, 2, 1, 0))


def test_stops_after_five_redirects(server):
    assert fetch(f"{server}/chain/4", allow_hosts=LOCAL).status == 200  # 5 redirects: fine
    _Handler.hits.clear()
    exc = _refused(f"{server}/chain/5", allow_hosts=LOCAL)
    assert exc.reason == "too-many-redirects"
    assert "/article" not in _Handler.hits
    assert _refused(f"{server}/loop", allow_hosts=LOCAL).reason == "too-many-redirects"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/to-loopback-2", "127.0.0.2"),
        ("/to-ten", "10.1.2.3"),
        ("/to-ipv6-loopback", "::1"),
        ("/to-metadata", "169.254.169.254"),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(server, path, shown):
    exc = _refused(f"{server}{path}", allow_hosts=LOCAL)
    assert exc.reason == "private-address"
    assert shown in str(exc) and "FACTCHECK_FETCH_ALLOW_HOSTS" in str(exc)
    assert _Handler.hits == [path]  # the target itself was never asked


def test_a_redirect_to_another_scheme_is_refused(server):
    assert _refused(f"{server}/to-ftp", allow_hosts=LOCAL).reason == "scheme"


def test_the_local_server_itself_is_refused_without_the_allow_list(server):
    exc = _refused(f"{server}/article")
    assert exc.reason == "private-address" and "loopback" in str(exc)
    assert _Handler.hits == []


def test_the_allow_list_setting_lets_a_host_through(server, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FETCH_ALLOW_HOSTS", " intranet.example , 127.0.0.1")
    assert fetch(f"{server}/article").body == ARTICLE
    # Allowing one internal address does not allow its neighbours.
    assert _refused(f"{server}/to-loopback-2").reason == "private-address"


def test_a_huge_body_is_cut_off(server):
    started = time.monotonic()
    exc = _refused(f"{server}/huge", allow_hosts=LOCAL, max_bytes=1_000_000)
    assert exc.reason == "too-large" and "1 MB" in str(exc)
    assert time.monotonic() - started < 5


def test_a_declared_huge_body_is_refused_before_reading(server):
    exc = _refused(f"{server}/huge-declared", allow_hosts=LOCAL)
    assert exc.reason == "too-large" and "5 MB" in str(exc)  # the default limit


def test_the_size_limit_setting_applies(server, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FETCH_MAX_BYTES", "2048")
    assert _refused(f"{server}/huge", allow_hosts=LOCAL).reason == "too-large"
    assert fetch(f"{server}/article", allow_hosts=LOCAL).status == 200


def test_a_compressed_body_is_decoded_and_the_limit_applies_to_the_decoded_bytes(server):
    assert fetch(f"{server}/gzip", allow_hosts=LOCAL).body == ARTICLE
    assert fetch(f"{server}/deflate", allow_hosts=LOCAL).body == ARTICLE
    # About 20 kB on the wire, 20 MB decoded.
    exc = _refused(f"{server}/gzip-bomb", allow_hosts=LOCAL)
    assert exc.reason == "too-large"


def test_a_dripping_body_is_cut_off_by_the_total_deadline(server, monkeypatch):
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 1.0)
    monkeypatch.setattr(fetch_module, "TOTAL_DEADLINE", 1.5)
    started = time.monotonic()
    exc = _refused(f"{server}/slow", allow_hosts=LOCAL)
    assert exc.reason == "timeout"
    assert time.monotonic() - started < 3


def test_a_dripping_body_without_a_length_is_refused_not_cut_short(server, monkeypatch):
    """The deadline closes the socket; what was read by then must not pass for the whole page."""
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 1.0)
    monkeypatch.setattr(fetch_module, "TOTAL_DEADLINE", 1.5)
    assert _refused(f"{server}/slow-unsized", allow_hosts=LOCAL).reason == "timeout"


def test_a_stalled_body_hits_the_read_timeout(server, monkeypatch):
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 0.5)
    started = time.monotonic()
    exc = _refused(f"{server}/stall", allow_hosts=LOCAL)
    assert exc.reason == "timeout"
    assert time.monotonic() - started < 2


def test_a_body_of_the_wrong_type_is_refused(server):
    exc = _refused(f"{server}/pdf", allow_hosts=LOCAL)
    assert exc.reason == "content-type" and "application/pdf" in str(exc)
    assert fetch(f"{server}/feed", accept=FEED_TYPES, allow_hosts=LOCAL).content_type == "application/rss+xml"
    assert _refused(f"{server}/feed", allow_hosts=LOCAL).reason == "content-type"


def test_an_error_status_is_refused_with_the_status(server):
    exc = _refused(f"{server}/missing", allow_hosts=LOCAL)
    assert exc.reason == "status" and exc.status == 404 and "404" in str(exc)


def test_a_conditional_get_answers_304_without_a_body(server):
    first = fetch(f"{server}/etag", allow_hosts=LOCAL)
    again = fetch(f"{server}/etag", etag=first.etag, allow_hosts=LOCAL)
    assert (again.status, again.body, again.etag) == (304, b"", ETAG)
    changed = fetch(f"{server}/etag", etag='"v0"', allow_hosts=LOCAL)
    assert (changed.status, changed.body) == (200, ARTICLE)


def test_a_dns_answer_that_changes_after_the_check_never_reaches_the_internal_address(server, monkeypatch):
    """Rebinding: the name resolves to a public address for the check, then to 127.0.0.1.

    The fetcher must connect to the address it checked (and fail there), never
    look the name up again and reach the local server.
    """
    port = int(server.rsplit(":", 1)[1])
    public = "8.8.8.8"  # a global address; nothing answers HTTP on our port there
    real_getaddrinfo = socket.getaddrinfo
    answers = iter([public] + ["127.0.0.1"] * 10)
    lookups: list[str] = []

    def changing_getaddrinfo(host, *args, **kwargs):
        if host != "rebind.test":
            return real_getaddrinfo(host, *args, **kwargs)
        address = next(answers)
        lookups.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    connected_to: list[tuple] = []
    real_create_connection = socket.create_connection

    def recording_create_connection(address, *args, **kwargs):
        connected_to.append(address)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", changing_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", recording_create_connection)
    monkeypatch.setattr(fetch_module, "CONNECT_TIMEOUT", 0.5)
    # 127.0.0.1 is not allowed here, so only a second lookup could reach it.
    exc = _refused(f"http://rebind.test:{port}/article", allow_hosts=frozenset())
    assert exc.reason in ("connect", "timeout")
    assert lookups == [public]
    assert connected_to == [(public, port)]
    assert _Handler.hits == []


def test_a_name_with_any_internal_address_is_refused(server, monkeypatch):
    real_getaddrinfo = socket.getaddrinfo

    def mixed(host, *args, **kwargs):
        if host != "mixed.test":
            return real_getaddrinfo(host, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("8.8.8.8", 80)),
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", 80)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    exc = _refused("http://mixed.test/article", allow_hosts=frozenset())
    assert exc.reason == "private-address" and "mixed.test resolves to 127.0.0.1" in str(exc)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://[ff02::1]/",
        "http://[2001:db8::1]/",
        "http://127.0.0.1/",
        "http://0.0.0.0/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://2130706433/",  # 127.0.0.1 written as a number
        "http://0x7f.1/",
        "http://localhost/",
    ],
)
def test_internal_addresses_are_refused_before_connecting(url, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    exc = _refused(url)
    assert exc.reason == "private-address"


def test_an_ipv6_literal_host_in_the_allow_list_is_fetched():
    try:
        server = _serve("::1", socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        port = server.server_address[1]
        result = fetch(f"http://[::1]:{port}/article", allow_hosts=frozenset({"[::1]"}))
        assert result.body == ARTICLE
        assert _refused(f"http://[::1]:{port}/article").reason == "private-address"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "//example.org/no-scheme",
        "example.org/no-scheme",
        "http:///no-host",
        "http://user:secret@example.org/",
        "http://[::1/",
    ],
)
def test_only_http_and_https_links_are_fetched(url):
    assert _refused(url).reason == "scheme"


def test_an_unknown_host_is_a_dns_refusal():
    exc = _refused("http://no-such-host.invalid/")
    assert exc.reason == "dns" and "no-such-host.invalid" in str(exc)


def test_a_closed_port_is_a_connect_refusal():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    assert _refused(f"http://127.0.0.1:{port}/", allow_hosts=LOCAL).reason == "connect"


def test_https_to_a_plain_http_server_is_refused_not_downgraded(server):
    # The plain-HTTP test server cannot complete a TLS handshake: refused, not read over plain HTTP.
    # (The certificate is checked against the host name in the real-HTTPS test further down.)
    https = server.replace("http://", "https://")
    assert _refused(f"{https}/article", allow_hosts=LOCAL).reason in ("connect", "timeout")


def test_robots_txt_is_honoured_for_our_user_agent(server):
    assert robots_allows(f"{server}/article", allow_hosts=LOCAL)
    assert not robots_allows(f"{server}/private/feed", allow_hosts=LOCAL)
    assert _Handler.hits.count("/robots.txt") == 1  # cached per site


def test_robots_of_an_internal_site_is_refused_like_the_page():
    with pytest.raises(FetchRefused) as info:
        robots_allows("http://10.0.0.1/feed")
    assert info.value.reason == "private-address"


def test_fetch_settings_are_checked():
    settings = fetch_settings({"FACTCHECK_FETCH_ALLOW_HOSTS": "Intranet.Example., [::1], 10.0.0.5"})
    assert settings.allow_hosts == {"intranet.example", "::1", "10.0.0.5"}
    assert settings.max_bytes == 5_000_000
    assert settings.user_agent == "FactcheckTracker/0.1 (+http://127.0.0.1:5000/)"
    assert fetch_settings({"FACTCHECK_ORG_URL": "https://org.example/"}).user_agent.endswith("(+https://org.example/)")
    for bad in ({"FACTCHECK_FETCH_ALLOW_HOSTS": "http://x.example"}, {"FACTCHECK_FETCH_MAX_BYTES": "lots"},
                {"FACTCHECK_FETCH_MAX_BYTES": "10"}):
        with pytest.raises(ConfigurationError):
            fetch_settings(bad)


class _DripHeaders(BaseHTTPRequestHandler):
    """Headers a byte at a time: each read succeeds well within the read timeout."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(200):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


def test_headers_sent_a_byte_at_a_time_are_cut_off_by_the_total_deadline(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DripHeaders)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 1.0)
    monkeypatch.setattr(fetch_module, "TOTAL_DEADLINE", 1.5)
    try:
        started = time.monotonic()
        exc = _refused(f"http://127.0.0.1:{server.server_address[1]}/", allow_hosts=LOCAL)
        assert exc.reason == "timeout"
        assert time.monotonic() - started < 3
    finally:
        server.shutdown()
        server.server_close()


def test_a_path_with_spaces_is_sent_encoded(server):
    result = fetch(f"{server}/chain/0 ", allow_hosts=LOCAL)  # trailing space stripped, as a pasted link has
    assert result.status == 200
    with pytest.raises(FetchRefused) as info:
        fetch(f"{server}/no such page", allow_hosts=LOCAL)
    assert info.value.reason == "status" and "/no%20such%20page" in _Handler.hits


def test_a_validator_with_control_characters_is_not_sent_back(server):
    result = fetch(f"{server}/etag", etag='"v1"\r\nX-Injected: 1', allow_hosts=LOCAL)
    assert result.status == 200  # sent without If-None-Match, so the full page


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate (self-signed) names only "localhost"."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], cert
    server.shutdown()
    server.server_close()


def test_https_verifies_the_certificate_against_the_name_not_the_pinned_address(https_server, monkeypatch):
    port, cert = https_server
    # Unknown issuer: refused, whatever the allow-list says.
    monkeypatch.setattr(fetch_module, "_tls", None)
    exc = _refused(f"https://localhost:{port}/article", allow_hosts=frozenset({"localhost"}))
    assert exc.reason == "connect" and "certificate" in str(exc)
    # Trusting the test certificate: the name it was made for works over the pinned address...
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setattr(fetch_module, "_tls", None)
    result = fetch(f"https://localhost:{port}/article", allow_hosts=frozenset({"localhost"}))
    assert result.body == ARTICLE and result.url.startswith("https://localhost:")
    # ...and the same server reached by its address is not the name on the certificate.
    exc = _refused(f"https://127.0.0.1:{port}/article", allow_hosts=LOCAL)
    assert exc.reason == "connect" and "certificate" in str(exc)
