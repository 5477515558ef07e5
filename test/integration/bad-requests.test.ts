// Requests a browser on our own pages never sends (found with curl against `npm start`): each one
// gets a 4xx that says what is wrong, is never stored by a cache, and changes nothing.
import net from "node:net";
import { describe, expect, it, vi } from "vitest";
import { db } from "~/services/db.server";
import { attendeeDetailsSchema } from "~/validation/attendee";
import { cookieFor } from "../support/auth";
import { useAppServer } from "../support/app-server";
import { sendRequest, type Answer, type Sent } from "../support/http";
import { TEST_ADMIN } from "../support/constants";
import { ticketType } from "../support/factories";

const app = useAppServer();

/** One request over a socket, exactly as given: no header is added but Host and the body's length. */
const send = (path: string, sent: Sent = {}) => sendRequest(app.port, path, sent);

/**
 * An HTTP/1.0 request, which may come without a Host header (Node's server refuses an HTTP/1.1
 * one without it by itself, with an empty 400).
 */
function sendHttp10(path: string, headers: Record<string, string>, body: string) {
  return new Promise<Answer>((resolve, reject) => {
    const socket = net.connect(app.port, "127.0.0.1", () => {
      const head = Object.entries({ ...headers, "Content-Length": String(Buffer.byteLength(body)) }).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.end(`POST ${path} HTTP/1.0\r\n${head.join("")}\r\n${body}`);
    });
    const parts: Buffer[] = [];
    socket.on("data", (part: Buffer) => parts.push(part));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(parts).toString("utf8");
      const [head = "", ...rest] = raw.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const answerHeaders = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine.split(" ")[1]), headers: answerHeaders, body: rest.join("\r\n\r\n") });
    });
  });
}

const sameOrigin = () => ({ Origin: app.url });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const urlencoded = { "Content-Type": "application/x-www-form-urlencoded" };
const goodLogin = form({ email: TEST_ADMIN.email, password: TEST_ADMIN.password });

/** Row counts of everything a form on the site can create. */
async function rows() {
  const d = db();
  const counts = await Promise.all([
    d.authSession.count(),
    d.user.count(),
    d.order.count(),
    d.waitlistEntry.count(),
    d.passwordToken.count(),
    d.auditLog.count(),
    d.emailOutbox.count(),
    d.lead.count(),
    d.stripeEvent.count(),
    d.sponsorProfileChange.count(),
  ]);
  return counts;
}

function expectRefusalPage(answer: Answer, status: number, says: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers["cache-control"]).toBe("no-store");
  expect(answer.headers["content-type"]).toMatch(/^text\/html/);
  expect(answer.body).toContain(says);
  // No stack trace, whatever the error was.
  expect(answer.body).not.toMatch(/\n\s+at |Error:/);
}

describe("a post that is not a form", () => {
  it("is refused with 415 on every kind of action, whatever body it carries, and changes nothing", async () => {
    const before = await rows();
    const bodies: Sent[] = [
      { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }) },
      { headers: { "Content-Type": "text/plain" }, body: goodLogin },
      { body: goodLogin },
      { headers: {} },
      { headers: { "Content-Type": "multipart/form-data" }, body: goodLogin },
    ];
    for (const sent of bodies) {
      const answer = await send("/login", { ...sent, headers: { ...sameOrigin(), ...sent.headers } });
      expectRefusalPage(answer, 415, "This page only accepts forms");
    }
    const actions = ["/tickets/checkout", "/tickets/waitlist", "/forgot-password", "/set-password", "/my/some-ticket-token", "/orders/RE3M-AAAA", "/admin/users", "/sponsor/leads/some-lead"];
    for (const path of actions) {
      const answer = await send(path, { headers: { ...sameOrigin(), "Content-Type": "application/json" }, body: "{}" });
      expectRefusalPage(answer, 415, "only accepts forms");
    }
    expect(await rows()).toEqual(before);
  });

  it("answers JSON to the app's own data requests and to the booth scanner's and the door's scripts", async () => {
    for (const path of ["/login.data", "/sponsor/scans", "/admin/check-in/replay"]) {
      const answer = await send(path, { headers: { ...sameOrigin(), "Content-Type": "application/json" }, body: JSON.stringify({ code: "ABCD1234" }) });
      expect(answer.status).toBe(415);
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(JSON.parse(answer.body)).toEqual({ ok: false, message: expect.stringContaining("only accepts forms") });
    }
  });

  it("still lets Stripe's JSON reach the webhook route, which checks its signature", async () => {
    const answer = await send("/webhooks/stripe", { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: "evt_1", type: "checkout.session.completed" }) });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe("Invalid signature\n");
  });

  it("lets real forms through, whole, with a length or sent in chunks", async () => {
    const withLength = await send("/login", { headers: { ...sameOrigin(), ...urlencoded }, body: goodLogin });
    expect(withLength.status).toBe(302);
    expect(withLength.headers.location).toBe("/admin");
    const half = Math.floor(goodLogin.length / 2);
    const chunked = await send("/login", { headers: { ...sameOrigin(), ...urlencoded }, chunks: [Buffer.from(goodLogin.slice(0, half)), Buffer.from(goodLogin.slice(half))] });
    expect(chunked.status).toBe(302);
    expect(chunked.headers.location).toBe("/admin");
    const boundary = "----re3m-test";
    const multipart = [
      `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n${TEST_ADMIN.email}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${TEST_ADMIN.password}\r\n`,
      `--${boundary}--\r\n`,
    ].join("");
    const asMultipart = await send("/login", { headers: { ...sameOrigin(), "Content-Type": `multipart/form-data; boundary=${boundary}` }, body: multipart });
    expect(asMultipart.status).toBe(302);
  });
});

describe("a NUL byte", () => {
  it("in an address is refused with 400 before any query runs", async () => {
    for (const path of ["/sessions/%00", "/speakers/a%00b", "/orders/RE3M%00?k=x", "/agenda?track=%00", "/my/%00/print"]) {
      expectRefusalPage(await send(path, { method: "GET" }), 400, "NUL character (%00)");
    }
  });

  it("in a form field, encoded or raw, is refused with 400 and the login is not attempted", async () => {
    const before = await rows();
    const encoded = await send("/login", { headers: { ...sameOrigin(), ...urlencoded }, body: form({ email: `${TEST_ADMIN.email}\0`, password: TEST_ADMIN.password }) });
    expectRefusalPage(encoded, 400, "contains a NUL character");
    const raw = await send("/login", { headers: { ...sameOrigin(), ...urlencoded }, body: Buffer.concat([Buffer.from("email=a"), Buffer.from([0]), Buffer.from("b%40c.example&password=x")]) });
    expectRefusalPage(raw, 400, "contains a NUL character");
    expect(await rows()).toEqual(before);
  });

  it("in a text field of a form with a file is refused by the field's own schema, with a message on the field", async () => {
    const sponsor = await db().sponsor.findFirstOrThrow({ select: { id: true } });
    const { cookie } = await cookieFor("SPONSOR", sponsor.id);
    const before = await rows();
    const boundary = "----re3m-profile";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nWe make magnets for motors.\0 Since 1990.\r\n--${boundary}--\r\n`;
    const answer = await send("/sponsor/profile", { headers: { ...sameOrigin(), Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` }, body });
    expect(answer.status).toBe(400);
    expect(answer.headers["cache-control"]).toMatch(/\bno-store\b/);
    expect(answer.body).toContain("The description contains an invisible control character (NUL) that cannot be saved.");
    expect(await rows()).toEqual(before);

    const parsed = attendeeDetailsSchema.safeParse({ name: "Ada\0 Lovelace", email: "ada@example.com" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(["Full name contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line."]);
  });
});

describe("a multipart form that cannot be read", () => {
  const boundary = "----re3m-broken";
  const multipart = { "Content-Type": `multipart/form-data; boundary=${boundary}` };
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

  it("is refused with 400 whether a route reads it as a form or with an image, and changes nothing", async () => {
    // Found by the fuzz: request.formData() throws on such a body, a 500 in every route.
    const { cookie } = await cookieFor("ADMIN");
    const before = await rows();
    const broken = [part("email", TEST_ADMIN.email), `${part("email", TEST_ADMIN.email)}--${boundary}`, `--${boundary}\r\nno headers\r\n\r\nx\r\n--${boundary}--\r\n`, ""];
    for (const body of broken) {
      expectRefusalPage(await send("/login", { headers: { ...sameOrigin(), ...multipart }, body }), 400, "The form could not be read");
      expectRefusalPage(await send("/admin/speakers/new", { headers: { ...sameOrigin(), ...multipart, Cookie: cookie }, body }), 400, "The form could not be read");
    }
    expect(await rows()).toEqual(before);
  });

  it("with a part without a name is read as the rest of the site reads it, also on forms with an image", async () => {
    // Found by the fuzz: the image forms' own multipart parser threw on `name=""`, a 500.
    const { cookie } = await cookieFor("ADMIN");
    const speakers = await db().speaker.count();
    const body = `${part("", "x")}${part("name", "Ada Lovelace")}--${boundary}--\r\n`;
    const answer = await send("/admin/speakers/new", { headers: { ...sameOrigin(), ...multipart, Cookie: cookie }, body });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("speaker");
    expect(await db().speaker.count()).toBe(speakers);
  });
});

describe("a field numbered beyond any list", () => {
  it("is refused with 400 before conform makes a list that long for the page to send back", async () => {
    // Found by the fuzz: `attendees[99999999].name` gave a reply of hundreds of megabytes (out of memory).
    const before = await rows();
    for (const name of ["attendees[99999999].name", "attendees[1000].name", "speakers[0][1000]"]) {
      const answer = await send("/tickets/checkout", { headers: { ...sameOrigin(), ...urlencoded }, body: form({ [name]: "Ada", "quantities.conference-pass": "1" }) });
      expectRefusalPage(answer, 400, "more items than any form");
    }
    const within = await send("/tickets/checkout", { headers: { ...sameOrigin(), ...urlencoded }, body: form({ "attendees[999].name": "Ada" }) });
    expect(within.status).toBeLessThan(500);
    expect(within.body.length).toBeLessThan(200_000);
    expect(await rows()).toEqual(before);
  });
});

describe("an address that cannot be decoded", () => {
  it("answers 400 with the bad-address page and no stack trace", async () => {
    for (const path of ["/sessions/%E0%A4%A", "/tickets/checkout%C0", "/orders/%ZZ/pay"]) {
      expectRefusalPage(await send(path, { method: "GET" }), 400, "That address is not valid");
    }
    expectRefusalPage(await send("/tickets/checkout%E0", { headers: { ...sameOrigin(), ...urlencoded }, body: "a=1" }), 400, "That address is not valid");
  });
});

describe("a host that cannot be part of an address", () => {
  it("answers 400 with the bad-address page, from the Host header or a proxy's X-Forwarded-Host", async () => {
    // Found by the fuzz: Remix failed to build the request's URL from it, a 500.
    for (const headers of [{ Host: "[::zz]" }, { "X-Forwarded-Host": "[::zz]" }, { Host: "a b" }] as Record<string, string>[]) {
      expectRefusalPage(await send("/agenda", { method: "GET", headers }), 400, "cannot be part of a web address");
    }
  });
});

describe("a form sent from another origin", () => {
  it("is refused with 403 and a page that says why, and changes nothing", async () => {
    const before = await rows();
    for (const origin of ["https://evil.example", "null", "not a url"]) {
      const answer = await send("/login", { headers: { Origin: origin, ...urlencoded }, body: goodLogin });
      expectRefusalPage(answer, 403, "This form was sent from another site");
      expect(answer.body).toContain("forward the Host header");
    }
    const noHost = await sendHttp10("/login", { Origin: app.url, ...urlencoded }, goodLogin);
    expectRefusalPage(noHost, 403, "without a Host header");
    expect(await rows()).toEqual(before);
  });

  it("is refused with 403 on a data request of any method but GET, as Remix checks them all", async () => {
    // Found by the fuzz: OPTIONS on a `.data` address passed the guard (which checked posts only)
    // and failed Remix's own origin check, a 500.
    for (const method of ["OPTIONS", "HEAD", "POST"]) {
      const answer = await send("/admin/timetable.data", { method, headers: { Origin: app.url, "X-Forwarded-Host": "127.0.0.1" } });
      expect(answer.status).toBe(403);
      expect(answer.headers["cache-control"]).toBe("no-store");
    }
    expect(JSON.parse((await send("/login.data", { method: "OPTIONS", headers: { Origin: "https://evil.example" } })).body)).toEqual({
      ok: false,
      message: expect.stringContaining("This form was sent from another site"),
    });
  });

  it("is accepted from a proxy that forwards the public host", async () => {
    const viaProxy = { Origin: "https://tickets.example", Host: "tickets.example", "X-Forwarded-Proto": "https", ...urlencoded };
    const answer = await send("/login", { headers: viaProxy, body: goodLogin });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/admin");
    const sameInBoth = await send("/login", { headers: { ...viaProxy, "X-Forwarded-Host": "tickets.example" }, body: goodLogin });
    expect(sameInBoth.status).toBe(302);
  });
});

describe("a body over the limit", () => {
  const big = (bytes: number) => form({ email: TEST_ADMIN.email, password: "x".repeat(bytes) });

  it("is refused with 413, by its declared length or by counting a chunked body", async () => {
    const before = await rows();
    expectRefusalPage(await send("/login", { headers: { ...sameOrigin(), ...urlencoded }, body: big(1024 * 1024 + 10) }), 413, "The form is too large");
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, "a"));
    expectRefusalPage(await send("/login", { headers: { ...sameOrigin(), ...urlencoded }, chunks }), 413, "The form is too large");
    expectRefusalPage(await send("/webhooks/stripe", { headers: { "Content-Type": "application/json" }, chunks }), 413, "The form is too large");
    expect(await rows()).toEqual(before);
  });

  it("is larger on the forms that carry an image, within their own 2 MB image limit", async () => {
    const boundary = "----re3m-upload";
    const upload = (bytes: number) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="me.png"\r\nContent-Type: image/png\r\n\r\n${"a".repeat(bytes)}\r\n--${boundary}--\r\n`;
    const { cookie } = await cookieFor("ADMIN");
    const headers = { ...sameOrigin(), Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` };
    const before = await db().speaker.count();
    // Over the 1 MB of a form, within the image limit: the route reads it and finds no image in it.
    const fits = await send("/admin/speakers/new", { headers, body: upload(1536 * 1024) });
    expect(fits.status).toBe(400);
    expect(fits.body).not.toContain("The form is too large");
    expectRefusalPage(await send("/admin/speakers/new", { headers, body: upload(3 * 1024 * 1024 + 100) }), 413, "The form is too large");
    expect(await db().speaker.count()).toBe(before);
  });
});

describe("requests no route takes", () => {
  it("are answered 404 or 405 without logging an error with a stack trace", async () => {
    // Found by the fuzz: Remix's default error handler wrote each with console.error.
    const answers = [
      await send("/robots.txt", { headers: { ...sameOrigin(), ...urlencoded }, body: "a=1" }),
      await send("/login.data", { method: "OPTIONS" }),
      await send("/speakers", { method: "DELETE", headers: { ...sameOrigin(), ...urlencoded }, body: "a=1" }),
      await send("/agenda?_data=routes%2Flogin", { method: "GET" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([405, 405, 405, 403]);
    expect(vi.mocked(console.error)).not.toHaveBeenCalled();
  });
});

describe("a field sent twice where the page has one", () => {
  it("is refused on the form's page without React's complaint about the list it was given", async () => {
    // Found by the fuzz: a <select> got both values back as its default, and React logged an error.
    const { cookie } = await cookieFor("ADMIN");
    const answer = await send("/admin/users", { headers: { ...sameOrigin(), ...urlencoded, Cookie: cookie }, body: "email=x&role=ADMIN&role=SPONSOR&sponsorId=a&sponsorId=b" });
    expect(answer.status).toBe(400);
    expect(vi.mocked(console.error)).not.toHaveBeenCalled();
  });
});

describe("a list sent back longer than the page showed it", () => {
  it("is shown again with its rows, without React's complaint about rows without keys", async () => {
    // Found by the fuzz: conform keys only the rows of the form's default, and React logged an error.
    const { cookie } = await cookieFor("ADMIN");
    const session = await send("/admin/sessions/new", { headers: { ...sameOrigin(), ...urlencoded, Cookie: cookie }, body: form({ title: "", "speakers[5].role": "Host" }) });
    expect(session.status).toBe(400);
    const type = await ticketType();
    const choice = form({ [`quantities.${type.slug}`]: "1" });
    const checkout = await send(`/tickets/checkout?${choice}`, { headers: { ...sameOrigin(), ...urlencoded }, body: `${choice}&${form({ "attendees[3].name": "Ada" })}` });
    expect([checkout.status, checkout.headers.location]).toEqual([400, undefined]);
    expect(checkout.body).toContain('name="attendees[3].name"');
    expect(vi.mocked(console.error)).not.toHaveBeenCalled();
  });
});

describe("error pages", () => {
  it("are never stored by a cache, while the page itself may be", async () => {
    const page = await send("/agenda", { method: "GET" });
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toMatch(/s-maxage=/);
    for (let i = 0; i < 2; i++) {
      const missing = await send("/sessions/no-such-session", { method: "GET" });
      expect(missing.status).toBe(404);
      expect(missing.headers["cache-control"]).toBe("no-store");
      expect(missing.body).toContain("find that");
    }
  });
});
