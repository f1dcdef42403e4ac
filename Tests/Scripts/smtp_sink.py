"""A real SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd): every mail it takes is written
to FOLDER as <n>.eml (the bytes received) and <n>.json (what Python's e-mail parser reads in it:
envelope, headers, parts, attachments' bytes), the .json last, so a reader sees whole mails only.

Recipients steer the answers: a local part starting with "defer" gets 451 at RCPT TO, "reject"
gets 550, "slow" is answered after --slow seconds at the end of the data. Prints "PORT <n>" when
it listens; runs until killed or its stdin closes.
"""
import argparse
import asyncio
import base64
import json
import os
import socket
import ssl
import sys
from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, folder, slow):
        self.folder = folder
        self.slow = slow
        self.count = 0
        self.connections = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("defer"):
            return "451 4.3.0 mailbox busy, try again later"
        if local.startswith("reject"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.split("@", 1)[0].lower().startswith("slow") for r in envelope.rcpt_tos):
            await asyncio.sleep(self.slow)
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        raw = envelope.original_content or envelope.content
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        summary = summarize(raw)
        summary.update(mail_from=envelope.mail_from, rcpt_tos=envelope.rcpt_tos,
                       connections=self.connections,
                       tls=session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None,
                       login=session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None)
        with open(base + ".tmp", "w") as f:
            json.dump(summary, f)
        os.rename(base + ".tmp", base + ".json")
        return "250 2.0.0 queued as %d" % self.count


def summarize(raw):
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts, defects = [], len(message.defects)
    for part in message.walk():
        defects += len(part.defects)
        if part.is_multipart():
            parts.append({"content_type": part.get_content_type()})
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {"content_type": part.get_content_type(), "charset": part.get_content_charset(),
                 "disposition": part.get_content_disposition(), "filename": part.get_filename(),
                 "transfer_encoding": part.get("Content-Transfer-Encoding"),
                 "size": len(payload)}
        if part.get_content_maintype() == "text":
            entry["text"] = part.get_content()
        else:
            entry["content_base64"] = base64.b64encode(payload).decode()
        parts.append(entry)
    header_block = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    return {"headers": {k: str(v) for k, v in message.items()}, "raw_header": header_block,
            "content_type": message.get_content_type(), "parts": parts, "defects": defects}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--smtps", action="store_true", help="TLS from the first byte")
    parser.add_argument("--login", help="user:password; then a login is required")
    parser.add_argument("--slow", type=float, default=5.0)
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    user, _, password = (args.login or "").partition(":")

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=data)

    sink = Sink(args.folder, args.slow)

    def factory():
        sink.connections += 1
        return SMTP(sink, hostname="sink.test", tls_context=None if args.smtps else context,
                    require_starttls=args.require_starttls, auth_required=bool(args.login),
                    auth_require_tls=bool(args.cert), authenticator=authenticator if args.login else None)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(128)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.create_server(factory, sock=sock, ssl=context if args.smtps else None))
    print("PORT %d" % sock.getsockname()[1], flush=True)
    # The test holds our stdin open: when it ends (or dies), so do we.
    loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 1024) or loop.stop())
    loop.run_forever()


if __name__ == "__main__":
    main()
