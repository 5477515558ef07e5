import { describe, expect, it } from "vitest";
import { safeCell } from "~/domain/exports.server";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { db } from "~/services/db.server";
import { cookieFor, request } from "../support/auth";
import { attendee, order, seededEvent, ticketType } from "../support/factories";

/** RFC 4180 records as objects keyed by the header (no CSV parser is installed; this is enough for tests). */
function parse(text: string, _options: { columns: true }): Record<string, string>[] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") record.push(cell), (cell = "");
    else if (c === "\n") record.push(cell), records.push(record), (record = []), (cell = "");
    else if (c !== "\r") cell += c;
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

async function download(kind: "attendees" | "orders" | "sessions", cookie: string) {
  const { loader } = await import(`~/routes/admin.exports.${kind}[.csv].ts`);
  return (await loader({ request: request(`/admin/exports/${kind}.csv`, { cookie }), params: {}, context: {} })) as Response;
}

describe("safeCell", () => {
  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(safeCell("=HYPERLINK(\"http://evil\")")).toBe("'=HYPERLINK(\"http://evil\")");
    expect(safeCell("+1 555")).toBe("'+1 555");
    expect(safeCell("-2+3")).toBe("'-2+3");
    expect(safeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(safeCell("\tcmd")).toBe("'\tcmd");
    expect(safeCell("\rcmd")).toBe("'\rcmd");
  });

  it("leaves ordinary text, numbers and dates alone", () => {
    expect(safeCell("Ada Lovelace")).toBe("Ada Lovelace");
    expect(safeCell("a=b")).toBe("a=b");
    expect(safeCell(42)).toBe("42");
    expect(safeCell(null)).toBe("");
    expect(safeCell(new Date("2025-09-09T13:00:00Z"))).toBe("2025-09-09T13:00:00.000Z");
  });
});

describe("CSV exports", () => {
  it("exports attendees with a BOM, an attachment name, defused cells and an audit row", async () => {
    const { cookie, user } = await cookieFor("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType();
    const evil = attendee({ name: "=cmd|' /C calc'!A0", company: "@Evil Corp", jobTitle: "-1+1" });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }, { code: "SPEAKERGUEST", attendees: [evil] }), new Date());
    await fulfilOrder(placed.id, "free", new Date());

    const response = await download("attendees", cookie);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="re3m-2025-attendees-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(new TextDecoder().decode(bytes.slice(3)), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r.Order === placed.reference)!;
    expect(row.Name).toBe("'=cmd|' /C calc'!A0");
    expect(row.Company).toBe("'@Evil Corp");
    expect(row["Job title"]).toBe("'-1+1");
    expect(row["Ticket type"]).toBe(type.name);
    expect(await db().auditLog.count({ where: { action: "export.attendees", actorId: user.id } })).toBe(1);
  });

  it("exports orders with amounts in dollars and sessions in Toronto time", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 149_500 });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    const orders = parse((await (await download("orders", cookie)).text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(orders.find((o) => o.Reference === placed.reference)).toMatchObject({ Status: "PENDING", Subtotal: "1495.00", Tax: "194.35", Total: "1689.35" });
    const sessions = parse((await (await download("sessions", cookie)).text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(sessions.length).toBe(await db().session.count());
    expect(sessions[0]!["Starts"]).toMatch(/^\d{2}:\d{2}$/);
  });

  it("streams 50,000 attendees with bounded memory", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const type = await ticketType({ capacity: 60_000 });
    const event = await seededEvent();
    const placed = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    // One statement: 50,000 tickets on one order, as fast as PostgreSQL can write them.
    await db().$executeRaw`
      INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, company, "qrCode", "shortCode", "manageToken", "updatedAt")
      SELECT 'bulk' || lpad(n::text, 6, '0'), ${placed.id}, ${type.id}, 'Attendee ' || n, 'a' || n || '@example.com',
        CASE WHEN n % 100 = 0 THEN '=EVIL()' ELSE 'Company ' || n END, 'qr' || n, 'sc' || n, 'mt' || n, now()
      FROM generate_series(1, 50000) AS n`;
    const total = await db().ticket.count();

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const response = await download("attendees", cookie);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let lines = 0;
    let evil = 0;
    let tail = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = tail + value;
      const parts = text.split("\n");
      tail = parts.pop()!;
      lines += parts.length;
      evil += parts.filter((l) => l.includes(",'=EVIL()")).length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    // The header plus one line per ticket (no cell here contains a line break).
    expect(lines).toBe(total + 1);
    expect(evil).toBe(500);
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});
