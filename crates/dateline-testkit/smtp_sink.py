"""A real SMTP server for Dateline's tests (aiosmtpd). Each accepted message is written to a
folder as JSON (envelope, headers, decoded text and HTML parts), atomically, so a test never
reads half a message. Recipients whose local part starts with "bounce" are refused with a 550,
those starting with "later" with a 451, to exercise the send queue's failure paths; one
starting with "vanish" is taken, and the connection is closed a moment later (a server that
hangs up while a message waits for its final dot).

    python3 smtp_sink.py PORT FOLDER [--starttls | --tls] [--cert PEM --key PEM]
                         [--login USER:PASSWORD]

--starttls offers STARTTLS and refuses mail before it; --tls speaks TLS from the first byte;
--login refuses mail before AUTH (PLAIN or LOGIN) with that one user and password, offered
only inside TLS when there is TLS. Each message records whether it came over TLS and who
signed in.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import uuid
import warnings

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, folder):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if local.startswith("later"):
            return "451 4.3.0 Mailbox busy, try again later"
        if local.startswith("vanish"):
            server.loop.call_later(0.3, server.transport.close)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        text = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_to": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data.login.decode() if session.authenticated else None,
            "headers": {k: str(v) for k, v in msg.items()},
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
        }
        name = uuid.uuid4().hex
        tmp = os.path.join(self.folder, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.folder, name + ".json"))
        return "250 2.0.0 Accepted " + name


def authenticator(user, password):
    """Accepts `user` with `password` and nobody else."""
    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--starttls", action="store_true")
    mode.add_argument("--tls", action="store_true")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--login")
    args = parser.parse_args()
    # aiosmtpd warns of its own use of a deprecated field on every login.
    warnings.filterwarnings("ignore", "Session.login_data is deprecated")
    handler = Sink(args.folder)
    context = None
    if args.starttls or args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    options = {"hostname": "sink.localhost"}
    if args.starttls:
        options.update(tls_context=context, require_starttls=True)
    if args.login:
        user, password = args.login.split(":", 1)
        # aiosmtpd only knows of TLS it started (STARTTLS); TLS from the first byte and a
        # plain server that takes a login on purpose both need AUTH without it.
        options.update(auth_required=True, authenticator=authenticator(user, password),
                       auth_require_tls=args.starttls)
        if not args.starttls:
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            logging.getLogger("mail.log").setLevel(logging.ERROR)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **options), "127.0.0.1", args.port,
        ssl=context if args.tls else None)
    print("ready", flush=True)
    await server.serve_forever()


asyncio.run(main())
