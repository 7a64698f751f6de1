"""The safe fetcher: the one way the tracker reads a page from a link.

A URL field is a way into the newsroom's network (SSRF): "http://10.0.0.5/admin",
a name that resolves to 127.0.0.1, a public page that redirects to
169.254.169.254, or a name whose DNS answer changes between our check and our
connection. So each request here

- takes http and https only;
- resolves the host once, refuses it when any address is private, loopback,
  link-local, multicast, reserved or unspecified (IPv4 and IPv6, IPv4-mapped
  IPv6 included) unless the host or address is in FACTCHECK_FETCH_ALLOW_HOSTS,
  and then connects to exactly the address it checked (no second lookup), with
  the Host header and, for https, the SNI and certificate check of the name;
- re-checks every redirect the same way and follows at most MAX_REDIRECTS;
- has a connect timeout, a read timeout and a total deadline, so a slow-drip
  body is cut off;
- reads the body incrementally up to a size limit, applied to the decoded
  bytes too when the body is gzip- or deflate-encoded;
- refuses a content type the caller does not accept, before reading the body;
- says who we are in the User-Agent.

Every refusal is a FetchRefused with a short `.reason` code and a message a
user can act on. Only the standard library is used: http.client over a socket
we open ourselves is what lets us pin the checked address.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from ..config import fetch_settings, normalise_host

__all__ = [
    "FEED_TYPES",
    "HTML_TYPES",
    "FetchRefused",
    "FetchResult",
    "fetch",
    "robots_allows",
]

HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
FEED_TYPES: tuple[str, ...] = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",  # not parsed by feedparser, but some servers label RSS with it
)

# Module-level so that tests can shorten them; a caller has no reason to.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
TOTAL_DEADLINE = 20.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024

_REDIRECTS = {301, 302, 303, 307, 308}
_PATH_SAFE = "/%:@!$&'()*+,;=?~-._[]"


def _header_safe(value: str) -> bool:
    """A validator a server gave us, fit to send back (no control characters, not absurdly long)."""
    return len(value) <= 1024 and value.isprintable()
ROBOTS_AGENT = "FactcheckTracker"


class FetchRefused(Exception):
    """A link was not fetched; `reason` is a short code, str(exc) a message for the user."""

    def __init__(self, reason: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status  # the HTTP status, when reason == "status"


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    status: int  # 200, or 304 for a conditional GET that was not modified
    content_type: str  # e.g. "text/html"
    charset: str | None
    body: bytes  # empty for 304
    etag: str | None
    last_modified: str | None
    fetched_at: datetime  # UTC
    redirects: tuple[str, ...]  # the URLs that answered with a redirect, in order


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n // 1000} kB" if n >= 1000 else f"{n} bytes"


def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not on the public internet, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 address that carries an IPv4 one is judged by the IPv4 one.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return _address_problem(embedded)
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private network address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "an address that is not on the public internet"
    return None


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as in the URL, without brackets
    port: int
    addresses: tuple[str, ...]  # checked addresses, in the resolver's order


def _check_url(url: str, allow_hosts: frozenset[str]) -> _Target:
    """Parse, resolve and check a URL; the addresses returned are the only ones we may connect to."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("scheme", f"{url!r} is not a valid link ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchRefused("scheme", f"Only http:// and https:// links can be fetched; this one has {shown}.")
    host = parts.hostname
    if not host:
        raise FetchRefused("scheme", f"{url!r} has no host name.")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("scheme", "Links with a user name or password in them are not fetched.")
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused("dns", f"Could not find the host {host} (DNS lookup failed: {exc}).") from None
    addresses: list[str] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = sockaddr[0].split("%", 1)[0]  # drop an IPv6 zone id
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchRefused("dns", f"Could not find the host {host} (no IPv4 or IPv6 address).")
    if normalise_host(host) not in allow_hosts:
        for address in addresses:
            ip = ipaddress.ip_address(address)
            problem = _address_problem(ip)
            if problem and str(ip) not in allow_hosts:
                where = host if host == address else f"{host} resolves to {address}, which"
                raise FetchRefused(
                    "private-address",
                    f"{where} is {problem}; links into private or internal networks are not fetched "
                    "(an administrator can allow a host with FACTCHECK_FETCH_ALLOW_HOSTS).",
                )
    return _Target(scheme=scheme, host=host, port=port, addresses=tuple(addresses))


_tls: ssl.SSLContext | None = None


def _tls_context() -> ssl.SSLContext:
    """One verifying context per process: loading the CA store costs milliseconds, a feed poll fetches many pages."""
    global _tls
    if _tls is None:
        _tls = ssl.create_default_context()  # certificate and host name checked
    return _tls


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to one checked address, speaking to the host name."""

    def __init__(self, target: _Target, deadline: float) -> None:
        super().__init__(target.host, target.port, timeout=CONNECT_TIMEOUT)
        self._target = target
        self._deadline = deadline

    def connect(self) -> None:
        errors: list[str] = []
        for address in self._target.addresses:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                sock = socket.create_connection((address, self._target.port), timeout=min(CONNECT_TIMEOUT, remaining))
            except TimeoutError:
                errors.append(f"{address}: no answer within {CONNECT_TIMEOUT:g} s")
                continue
            except OSError as exc:
                errors.append(f"{address}: {exc.strerror or exc}")
                continue
            break
        else:
            sock = None
        if sock is None:
            detail = "; ".join(errors) or "out of time"
            raise FetchRefused("connect", f"Could not connect to {self._target.host} ({detail}).")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(max(min(READ_TIMEOUT, self._deadline - time.monotonic()), 0.001))
        self.sock = sock  # reachable by the deadline's watchdog during the TLS handshake too
        if self._target.scheme == "https":
            context = _tls_context()
            try:
                sock = context.wrap_socket(sock, server_hostname=self._target.host)
            except ssl.SSLCertVerificationError as exc:
                sock.close()
                raise FetchRefused(
                    "connect", f"The certificate of {self._target.host} could not be verified ({exc.verify_message})."
                ) from None
            except (ssl.SSLError, OSError) as exc:
                sock.close()
                if isinstance(exc, TimeoutError):
                    raise FetchRefused("timeout", f"{self._target.host} took too long to set up a secure connection.") from None
                raise FetchRefused("connect", f"Could not set up a secure connection to {self._target.host} ({exc}).") from None
        self.sock = sock


def _shut(conn: _PinnedConnection) -> None:
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _past_deadline(deadline: float, url: str) -> None:
    """Raise the timeout refusal when the deadline (and so the watchdog) is what stopped us."""
    if time.monotonic() >= deadline - 0.01:
        raise FetchRefused("timeout", f"{url} took longer than {TOTAL_DEADLINE:g} seconds to load; stopped.")


def _set_read_timeout(conn: _PinnedConnection, deadline: float, url: str) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchRefused("timeout", f"{url} took longer than {TOTAL_DEADLINE:g} seconds to load; stopped.")
    if conn.sock is not None:
        conn.sock.settimeout(min(READ_TIMEOUT, remaining))


def _content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    mime, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return mime.strip().lower(), charset


class _Decoder:
    """Undo Content-Encoding incrementally, never producing more than `limit` bytes in all."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.size = 0
        if encoding in ("gzip", "x-gzip"):
            self._zlib: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = None  # zlib-wrapped or raw: decided on the first bytes
        else:
            self._zlib = None
        self._pending = b""

    def feed(self, data: bytes) -> bytes:
        if self.encoding in ("", "identity"):
            out = data
        else:
            if self.encoding == "deflate" and self._zlib is None:
                # RFC 9110 says zlib format; some servers send raw deflate.
                first = data[:1]
                wbits = zlib.MAX_WBITS if first and (first[0] & 0x0F) == 8 else -zlib.MAX_WBITS
                self._zlib = zlib.decompressobj(wbits)
            assert self._zlib is not None
            room = self.limit - self.size + 1
            out = self._zlib.decompress(self._pending + data, room)
            self._pending = self._zlib.unconsumed_tail
            if self._pending and len(out) < room:  # cannot happen, but never loop on it
                self._pending = b""
        self.size += len(out)
        if self.size > self.limit:
            raise _TooLarge
        return out

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        out = self._zlib.decompress(self._pending, self.limit - self.size + 1) if self._pending else b""
        out += self._zlib.flush()
        self.size += len(out)
        if self.size > self.limit:
            raise _TooLarge
        return out


class _TooLarge(Exception):
    pass


def _read_body(conn: _PinnedConnection, response: http.client.HTTPResponse, url: str, deadline: float, max_bytes: int) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise FetchRefused("content-type", f"{url} is sent with the encoding {encoding!r}, which is not supported.")
    too_large = FetchRefused("too-large", f"{url} is larger than {_megabytes(max_bytes)}; stopped reading it.")
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise too_large
    decoder = _Decoder(encoding, max_bytes)
    parts: list[bytes] = []
    received = 0
    try:
        while True:
            _set_read_timeout(conn, deadline, url)
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:  # the raw bytes too: compressed data larger than the limit is not worth reading
                raise too_large
            parts.append(decoder.feed(chunk))
        parts.append(decoder.finish())
    except _TooLarge:
        raise too_large from None
    except zlib.error:
        raise FetchRefused("content-type", f"{url} sent a {encoding} body that could not be decoded.") from None
    except TimeoutError:
        raise FetchRefused("timeout", f"{url} stopped sending data for {READ_TIMEOUT:g} seconds; stopped.") from None
    except http.client.IncompleteRead:
        raise FetchRefused("connect", f"{url} closed the connection before the page was complete.") from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchRefused("connect", f"Reading {url} failed ({exc}).") from None
    return b"".join(parts)


def fetch(
    url: str,
    *,
    accept: tuple[str, ...] = HTML_TYPES,
    max_bytes: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_hosts: frozenset[str] | None = None,
) -> FetchResult:
    """GET a page through every check above; raises FetchRefused when a check fails.

    allow_hosts replaces FACTCHECK_FETCH_ALLOW_HOSTS when given (tests pass their
    local server's address); max_bytes replaces FACTCHECK_FETCH_MAX_BYTES.
    """
    settings = fetch_settings()
    allow = settings.allow_hosts if allow_hosts is None else frozenset(normalise_host(h) for h in allow_hosts)
    limit = settings.max_bytes if max_bytes is None else max_bytes
    deadline = time.monotonic() + TOTAL_DEADLINE
    redirects: list[str] = []
    current = url.strip()
    while True:
        target = _check_url(current, allow)
        parts = urlsplit(current)
        # Spaces and other characters http.client would refuse, percent-encoded; "%" kept as given.
        path = quote(parts.path or "/", safe=_PATH_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_PATH_SAFE)
        headers = {
            "User-Agent": settings.user_agent,
            "Accept": ", ".join(accept) + ", */*;q=0.1",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "close",
        }
        if etag and _header_safe(etag):
            headers["If-None-Match"] = etag
        if last_modified and _header_safe(last_modified):
            headers["If-Modified-Since"] = last_modified
        conn = _PinnedConnection(target, deadline)
        # The timeouts bound each wait; this bounds the whole: at the deadline the socket is
        # shut, so headers or a TLS handshake sent a byte at a time cannot outlast it either.
        watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), _shut, (conn,))
        watchdog.daemon = True
        watchdog.start()
        try:
            try:
                conn.connect()
                _set_read_timeout(conn, deadline, current)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
            except FetchRefused as exc:
                _past_deadline(deadline, url)
                raise exc from None
            except TimeoutError:
                _past_deadline(deadline, url)
                raise FetchRefused("timeout", f"{target.host} did not answer within {READ_TIMEOUT:g} seconds.") from None
            except http.client.HTTPException as exc:
                _past_deadline(deadline, url)
                raise FetchRefused("connect", f"{target.host} did not answer with valid HTTP ({type(exc).__name__}).") from None
            except (OSError, ValueError) as exc:
                _past_deadline(deadline, url)
                raise FetchRefused("connect", f"Could not fetch {current} ({getattr(exc, 'strerror', None) or exc}).") from None
            _past_deadline(deadline, url)  # headers cut short by the watchdog are not an answer
            status = response.status
            if status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchRefused("status", f"{current} answered {status} (a redirect) without saying where to.", status=status)
                redirects.append(current)
                if len(redirects) > MAX_REDIRECTS:
                    raise FetchRefused(
                        "too-many-redirects", f"{url} redirected more than {MAX_REDIRECTS} times; stopped following it."
                    )
                current = urljoin(current, location.strip())
                # A fragment is ours to keep, not the server's to see.
                current = urlunsplit(urlsplit(current)._replace(fragment=""))
                continue
            fetched_at = datetime.now(timezone.utc)
            if status == 304 and (etag or last_modified):
                mime, charset = _content_type(response.getheader("Content-Type"))
                return FetchResult(
                    url=current,
                    status=304,
                    content_type=mime,
                    charset=charset,
                    body=b"",
                    etag=response.getheader("ETag") or etag,
                    last_modified=response.getheader("Last-Modified") or last_modified,
                    fetched_at=fetched_at,
                    redirects=tuple(redirects),
                )
            if status != 200:
                raise FetchRefused(
                    "status", f"{current} answered {status} {response.reason or ''}".rstrip() + ".", status=status
                )
            mime, charset = _content_type(response.getheader("Content-Type"))
            if mime not in accept:
                wanted = " or ".join(accept)
                raise FetchRefused(
                    "content-type",
                    f"{current} is {mime or 'of no stated type'}, not what was expected ({wanted}).",
                )
            try:
                body = _read_body(conn, response, current, deadline, limit)
            except FetchRefused:
                _past_deadline(deadline, url)
                raise
            _past_deadline(deadline, url)  # an end of body caused by the watchdog is not the end of the page
            return FetchResult(
                url=current,
                status=200,
                content_type=mime,
                charset=charset,
                body=body,
                etag=response.getheader("ETag"),
                last_modified=response.getheader("Last-Modified"),
                fetched_at=fetched_at,
                redirects=tuple(redirects),
            )
        finally:
            watchdog.cancel()
            conn.close()


# robots.txt, per site, for a short while: a feed poll asks once per item.
ROBOTS_TTL = 600.0
_robots_cache: dict[tuple[str, str], tuple[float, RobotFileParser | bool]] = {}
_robots_lock = threading.Lock()


def _robots_for(site: tuple[str, str], allow_hosts: frozenset[str] | None) -> RobotFileParser | bool:
    """The site's parsed robots.txt, or True (all allowed) / False (all disallowed)."""
    url = f"{site[0]}://{site[1]}/robots.txt"
    try:
        result = fetch(url, accept=("text/plain",), max_bytes=512_000, allow_hosts=allow_hosts)
    except FetchRefused as exc:
        if exc.reason in ("scheme", "private-address", "dns"):
            raise  # the page itself would be refused the same way; say why
        if exc.reason == "status" and exc.status is not None and 400 <= exc.status < 500:
            return True  # RFC 9309: no robots.txt means no restriction
        if exc.reason in ("content-type", "too-large"):
            return True  # not a robots file we can read: treated as none
        return False  # RFC 9309: unreachable means disallowed, for now
    parser = RobotFileParser(url)
    parser.parse(result.body.decode(result.charset or "utf-8", errors="replace").splitlines())
    return parser


def robots_allows(url: str, allow_hosts: frozenset[str] | None = None) -> bool:
    """Whether the site's robots.txt lets our User-Agent fetch `url` (cached per site for ROBOTS_TTL)."""
    parts = urlsplit(url)
    site = (parts.scheme.lower(), parts.netloc.lower())
    now = time.monotonic()
    with _robots_lock:
        cached = _robots_cache.get(site)
    if cached is None or now - cached[0] > ROBOTS_TTL:
        rules = _robots_for(site, allow_hosts)
        with _robots_lock:
            _robots_cache[site] = (now, rules)
    else:
        rules = cached[1]
    if isinstance(rules, bool):
        return rules
    return rules.can_fetch(ROBOTS_AGENT, url)
