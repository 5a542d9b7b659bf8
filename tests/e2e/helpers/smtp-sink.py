#!/usr/bin/python3
"""smtp-sink.py DIR - an SMTP server for the tests (aiosmtpd, Debian's
python3-aiosmtpd), on 127.0.0.1 at a free port, which it writes to
DIR/port once it listens. Each message it takes is DIR/NNNN.eml (the
DATA as received, CRLF) with DIR/NNNN.json beside it: the envelope's
sender and recipients and the login, if any. Written under a temporary
name and renamed, so a reader never sees half of one.

  --reject CODE        answer every RCPT TO with CODE (550, 451)
  --login USER:PASS    offer AUTH (PLAIN, LOGIN) without TLS, and require it
"""
import argparse
import asyncio
import json
import os
import socket
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--reject")
ap.add_argument("--login")
args = ap.parse_args()


class Sink:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if args.reject:
            return f"{args.reject} not this time"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = Sink.count
        Sink.count += 1
        base = os.path.join(args.dir, f"{n:04d}")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        meta = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
                "login": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None}
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".tmp", base + ".eml")
        return "250 queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    user, password = args.login.split(":", 1)
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
kw = {}
if args.login:
    kw = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
c = Controller(Sink(), hostname="127.0.0.1", port=port, **kw)
c.start()
with open(os.path.join(args.dir, "port.tmp"), "w") as f:
    f.write(f"{port}\n")
os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
try:
    while True:
        time.sleep(3600)
finally:
    c.stop()
