// A real SMTP server on loopback (smtp-server) for tests and benchmarks: it records every message
// it accepts and can refuse recipients while an outage is simulated.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedMessage = { messageId: string; subject: string; to: string[]; raw: string };

type Options = {
  /** Listen on this port (e.g. one that was refusing connections a moment ago); default: any free one. */
  port?: number;
  /** Time the server takes to accept each message, so concurrent senders really overlap. */
  delayMs?: number;
};

function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
  // Unfold continuation lines first (RFC 5322 §2.2.3).
  const match = head.replace(/\r\n[ \t]+/g, " ").match(new RegExp(`^${name}:\\s*(.*)$`, "im"));
  return match?.[1]?.trim() ?? "";
}

export async function startSmtpServer({ port = 0, delayMs = 0 }: Options = {}) {
  const messages: ReceivedMessage[] = [];
  const state = { refusing: false, refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    // No TLS on loopback: the self-signed certificate would only get in the way of the client.
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refusing) return callback();
      state.refused++;
      const error = Object.assign(new Error("Mailbox temporarily unavailable (simulated outage)"), { responseCode: 451 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        setTimeout(() => {
          messages.push({ messageId: header(raw, "Message-ID"), subject: header(raw, "Subject"), to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        }, delayMs);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const listening = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${listening}`,
    port: listening,
    messages,
    /** While true, every recipient is refused with a temporary 451, as during a mail server outage. */
    refuse(on: boolean) {
      state.refusing = on;
    },
    get refused() {
      return state.refused;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpTestServer = Awaited<ReturnType<typeof startSmtpServer>>;
