"""A fake mail server: enough SMTP on a free localhost port for Django's SMTP backend, in a thread.

It stands for the outside mail server when a test runs a real task worker in another process, where
Django's in-memory outbox cannot see what was sent. It keeps every message it accepted (``messages``).

With ``hold_first=True`` it accepts the first connection but does not greet it until ``release()``:
the client is then in the middle of sending (``held`` is set), for as long as the test likes. Like a
real server, it delivers nothing from a connection that closes before the end of the message.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Self


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_to: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


class FakeSMTPServer:
    def __init__(self, *, hold_first: bool = False) -> None:
        self.hold_first = hold_first
        self.held = threading.Event()
        self.connections = 0
        self.messages: list[Received] = []
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._threads: list[threading.Thread] = []

    def start(self) -> Self:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        accept = threading.Thread(target=self._accept, name="fake-smtp", daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def stop(self) -> None:
        self._released.set()
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        for thread in self._threads:
            thread.join(timeout=5)

    def release(self) -> None:
        """Let the held connection go on: greet it and serve it, if its client is still there."""
        self._released.set()

    @property
    def port(self) -> int:
        assert self._socket is not None, "the fake is not running"
        return int(self._socket.getsockname()[1])

    # --- the server ------------------------------------------------------------

    def _accept(self) -> None:
        while self._socket is not None:
            try:
                connection, _address = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            with self._lock:
                self.connections += 1
                hold = self.hold_first and self.connections == 1
            thread = threading.Thread(target=self._serve, args=(connection, hold), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, connection: socket.socket, hold: bool) -> None:
        with connection:
            if hold:
                self.held.set()
                self._released.wait()
            connection.settimeout(30)
            lines = _Lines(connection)
            try:
                self._session(connection, lines)
            except (OSError, EOFError):  # the client went away (killed, or timed out): nothing delivered
                return

    def _session(self, connection: socket.socket, lines: _Lines) -> None:
        connection.sendall(b"220 fake-smtp.test ESMTP ready\r\n")
        mail_from = ""
        rcpt_to: list[str] = []
        while True:
            line = lines.read()
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"EHLO":
                connection.sendall(b"250-fake-smtp.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"HELO":
                connection.sendall(b"250 fake-smtp.test\r\n")
            elif verb == b"MAIL":
                mail_from, rcpt_to = _address(line), []
                connection.sendall(b"250 OK\r\n")
            elif verb == b"RCPT":
                rcpt_to.append(_address(line))
                connection.sendall(b"250 OK\r\n")
            elif verb == b"DATA":
                connection.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = self._data(lines)
                with self._lock:
                    self.messages.append(Received(mail_from=mail_from, rcpt_to=tuple(rcpt_to), data=data))
                connection.sendall(b"250 OK queued\r\n")
            elif verb in (b"RSET", b"NOOP"):
                connection.sendall(b"250 OK\r\n")
            elif verb == b"QUIT":
                connection.sendall(b"221 Bye\r\n")
                return
            else:
                connection.sendall(b"502 Command not implemented\r\n")

    @staticmethod
    def _data(lines: _Lines) -> bytes:
        body = []
        while True:
            line = lines.read()
            if line == b".":
                return b"\r\n".join(body) + b"\r\n"
            body.append(line[1:] if line.startswith(b"..") else line)


class _Lines:
    """Reads CRLF-terminated lines from a socket; EOFError when the client closed it."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.buffer = b""

    def read(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.connection.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line


def _address(line: bytes) -> str:
    """The address in ``MAIL FROM:<a@b> ...`` or ``RCPT TO:<a@b>``."""
    text = line.decode("utf-8", "replace")
    return text[text.find("<") + 1 : text.find(">")] if "<" in text else text.split(":", 1)[-1].strip()
