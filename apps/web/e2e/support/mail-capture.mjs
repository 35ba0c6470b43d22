// The browser tests' mail server: a minimal SMTP receiver on loopback (what the console's SMTP
// sender talks to when SMTP_URL points here) that keeps every message in memory, and a small
// HTTP endpoint the tests read them from. Started by playwright.config.ts as a webServer.
//   node apps/web/e2e/support/mail-capture.mjs <smtpPort> <httpPort>
import http from "node:http";
import net from "node:net";

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const HOST = "127.0.0.1";
/** @type {{ to: string[]; from: string; subject: string; text: string; receivedAt: string }[]} */
const messages = [];

/** Undoes a transfer encoding nodemailer may pick for a text part. */
function decodeBody(body, encoding) {
  const kind = (encoding ?? "7bit").trim().toLowerCase();
  if (kind === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (kind === "quoted-printable") {
    const joined = body.replace(/=\r?\n/g, "");
    const bytes = [];
    for (let i = 0; i < joined.length; i++) {
      const hex = joined.slice(i + 1, i + 3);
      if (joined[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(joined[i], "utf8"));
      }
    }
    return Buffer.from(bytes).toString("utf8");
  }
  return body;
}

/** `=?UTF-8?Q?…?=` / `=?UTF-8?B?…?=` words in a header (nodemailer encodes non-ASCII subjects). */
function decodeHeader(value) {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, _charset, kind, text) =>
    kind.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeBody(text.replace(/_/g, " "), "quoted-printable"),
  );
}

/** A single-part text message as nodemailer writes it: headers, blank line, body. */
function parseMessage(raw, envelope) {
  const split = raw.indexOf("\r\n\r\n");
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? "" : raw.slice(split + 4);
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    to: envelope.to,
    from: envelope.from,
    subject: decodeHeader(headers.subject ?? ""),
    text: decodeBody(body, headers["content-transfer-encoding"]).replace(/\r\n/g, "\n"),
    receivedAt: new Date().toISOString(),
  };
}

const smtp = net.createServer((socket) => {
  socket.setEncoding("utf8");
  let buffer = "";
  let inData = false;
  let envelope = { from: "", to: [] };
  const reply = (line) => socket.write(`${line}\r\n`);
  reply("220 mail-capture ESMTP");
  socket.on("data", (chunk) => {
    buffer += chunk;
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end === -1) return;
        const raw = buffer
          .slice(0, end)
          .split("\r\n")
          .map((line) => (line.startsWith("..") ? line.slice(1) : line))
          .join("\r\n");
        buffer = buffer.slice(end + 5);
        inData = false;
        messages.push(parseMessage(raw, envelope));
        envelope = { from: "", to: [] };
        reply("250 OK: queued");
        continue;
      }
      const newline = buffer.indexOf("\r\n");
      if (newline === -1) return;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "EHLO") reply("250-mail-capture\r\n250 8BITMIME");
      else if (verb === "HELO") reply("250 mail-capture");
      else if (verb === "MAIL") {
        envelope = { from: /<([^>]*)>/.exec(line)?.[1] ?? "", to: [] };
        reply("250 OK");
      } else if (verb === "RCPT") {
        envelope.to.push((/<([^>]*)>/.exec(line)?.[1] ?? "").toLowerCase());
        reply("250 OK");
      } else if (verb === "DATA") {
        inData = true;
        reply("354 End data with <CR><LF>.<CR><LF>");
      } else if (verb === "RSET") {
        envelope = { from: "", to: [] };
        reply("250 OK");
      } else if (verb === "NOOP") reply("250 OK");
      else if (verb === "QUIT") {
        reply("221 Bye");
        socket.end();
        return;
      } else reply("502 Command not implemented");
    }
  });
  socket.on("error", () => {});
});

// GET /healthz; GET /messages?to=<address> → the messages to that address, newest first.
const api = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", `http://${HOST}`);
  if (url.pathname === "/healthz") return res.end("ok");
  if (url.pathname === "/messages") {
    const to = url.searchParams.get("to")?.toLowerCase();
    const found = messages.filter((message) => !to || message.to.includes(to)).reverse();
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(found));
  }
  res.writeHead(404).end();
});

smtp.listen(smtpPort, HOST, () => {
  api.listen(httpPort, HOST, () =>
    console.log(`Mail capture: SMTP on ${HOST}:${smtpPort}, messages on http://${HOST}:${httpPort}/messages`),
  );
});
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(0));
