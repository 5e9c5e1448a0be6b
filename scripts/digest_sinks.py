#!/usr/bin/env python3
"""The receiving ends of pantau's digest, for the end-to-end tests.

    digest_sinks.py --smtp-port P --http-port Q --out DIR

An SMTP server (aiosmtpd, from PyPI) writes every message it receives to
DIR/mail.jsonl, parsed by Python's email package: envelope, headers, the
plain-text and HTML parts. An HTTP server stands in for Telegram's Bot API
(POST /bot<token>/sendMessage answers as Telegram does) and for a JSON
webhook (any other POST path; /fail answers 503), writing every request to
DIR/http.jsonl. DIR/ready appears when both listen.
"""

import argparse
import email
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

lock = threading.Lock()


def append(path, record):
    with lock, open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


class Mail:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        append(self.out, {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "content_type": msg.get_content_type(),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        })
        return "250 Message accepted for delivery"


def http_handler(out):
    class Handler(BaseHTTPRequestHandler):
        sent = 0

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            append(out, {
                "path": self.path,
                "content_type": self.headers.get("Content-Type"),
                "body": body,
            })
            if self.path == "/fail":
                self.answer(503, {"error": "unavailable"})
            elif self.path.startswith("/bot") and self.path.endswith("/sendMessage"):
                Handler.sent += 1
                self.answer(200, {"ok": True, "result": {"message_id": Handler.sent}})
            else:
                self.answer(200, {"received": True})

        def answer(self, status, obj):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--smtp-port", type=int, required=True)
    p.add_argument("--http-port", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    smtp = Controller(Mail(a.out / "mail.jsonl"), hostname="127.0.0.1", port=a.smtp_port)
    smtp.start()
    http = ThreadingHTTPServer(("127.0.0.1", a.http_port), http_handler(a.out / "http.jsonl"))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    (a.out / "ready").write_text("ready\n")
    try:
        while True:
            time.sleep(3600)
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
