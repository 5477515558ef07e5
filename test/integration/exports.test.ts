import { describe, expect, it } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { safeCell } from "~/domain/csv.server";
import { db, POOL_SIZE } from "~/services/db.server";
import { cookieFor, request } from "../support/auth";
import { cellsSplitOn, csvRecords, formulaCells } from "../support/csv";
import { attendee, order, seededEvent, ticketType } from "../support/factories";

async function download(kind: "attendees" | "orders" | "sessions", cookie: string) {
  const { loader } = await import(`~/routes/admin.exports.${kind}[.csv].ts`);
  return (await loader({ request: request(`/admin/exports/${kind}.csv`, { cookie }), params: {}, context: {} })) as Response;
}

describe("safeCell", () => {
  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(safeCell('=HYPERLINK("http://evil")')).toBe(`'=HYPERLINK("http://evil")`);
    expect(safeCell("+1 555")).toBe("'+1 555");
    expect(safeCell("-2+3")).toBe("'-2+3");
    expect(safeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    // Tabs and CRs are controls: gone, and what follows them is defused in turn.
    expect(safeCell("\tcmd")).toBe("cmd");
    expect(safeCell("\t=cmd")).toBe("'=cmd");
    expect(safeCell("\r\n@cmd")).toBe("'@cmd");
  });

  it("defuses every part a split on a comma, a semicolon, a tab or a line break would start", () => {
    expect(safeCell("Semi;=1+1")).toBe("Semi;'=1+1");
    expect(safeCell("Comma, +1")).toBe("Comma, '+1");
    expect(safeCell('Quoted;"=1+1"')).toBe(`Quoted;"'=1+1"`);
    expect(safeCell("Tab\t-1")).toBe("Tab -1");
    expect(safeCell("Line one\r\n=cmd", { multiline: true })).toBe("Line one\n'=cmd");
    expect(safeCell("Eve\r\n=cmd")).toBe("Eve =cmd");
    expect(safeCell("Gr\u202Eace\u0000")).toBe("Grace");
  });

  it("leaves ordinary text, numbers and dates alone", () => {
    expect(safeCell("Ada Lovelace")).toBe("Ada Lovelace");
    expect(safeCell("a=b")).toBe("a=b");
    expect(safeCell("Nd-Fe-B; 180 °C")).toBe("Nd-Fe-B; 180 °C");
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
    const rows = csvRecords(new TextDecoder().decode(bytes.slice(3)));
    const row = rows.find((r) => r.Order === placed.reference)!;
    expect(row.Name).toBe("'=cmd|' /C calc'!A0");
    expect(row.Company).toBe("'@Evil Corp");
    expect(row["Job title"]).toBe("'-1+1");
    expect(row["Ticket type"]).toBe(type.name);
    expect(await db().auditLog.count({ where: { action: "export.attendees", actorId: user.id } })).toBe(1);
  });

  it("is safe in a spreadsheet that splits on commas, semicolons or tabs, and keeps stored line breaks out of cells", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType();
    const sneaky = attendee({ name: "Semi;=1+1", company: "Comma,+cmd|' /C calc'!A0", jobTitle: 'Quote;"@SUM(A1)"', country: "Tab\t-1" });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }, { code: "SPEAKERGUEST", attendees: [sneaky] }), new Date());
    await fulfilOrder(placed.id, "free", new Date());
    // Stored before the forms refused them: a line break and a bidi override in a name.
    const ticket = await db().ticket.findFirstOrThrow({ where: { orderId: placed.id } });
    await db().ticket.update({ where: { id: ticket.id }, data: { name: "Semi;=1+1\r\n=2+2\u202E" } });

    const text = await (await download("attendees", cookie)).text();
    const row = csvRecords(text).find((r) => r.Order === placed.reference)!;
    expect(row).toMatchObject({ Name: "Semi;'=1+1 =2+2", Company: "Comma,'+cmd|' /C calc'!A0", "Job title": `Quote;"'@SUM(A1)"`, Country: "Tab -1" });
    // Quotes on every text cell, so a reader that honours them keeps each one whole.
    const line = text.split("\n").find((l) => l.includes(placed.reference))!;
    expect(line).toMatch(/^"[^"]+","Semi;'=1\+1 =2\+2",/);
    expect(cellsSplitOn(text, ";")).toContain(`'=1+1 =2+2","${ticket.email}","Comma,'+cmd|' /C calc'!A0","Quote`);
    expect(formulaCells(text)).toEqual([]);
  });

  it("exports orders with amounts in dollars and sessions in Toronto time", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 149_500 });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    const orders = csvRecords(await (await download("orders", cookie)).text());
    expect(orders.find((o) => o.Reference === placed.reference)).toMatchObject({ Status: "PENDING", Subtotal: "1495.00", Tax: "194.35", Total: "1689.35" });
    const sessions = csvRecords(await (await download("sessions", cookie)).text());
    expect(sessions.length).toBe(await db().session.count());
    expect(sessions[0]!["Starts"]).toMatch(/^\d{2}:\d{2}$/);
  });

  it("writes check-in times in UTC and gives the database connection back when a download is cancelled", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const type = await ticketType({ capacity: 5_000 });
    const event = await seededEvent();
    const placed = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    // More rows than one cursor batch, so that a cancelled download stops part-way.
    await db().$executeRaw`
      INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, "qrCode", "shortCode", "manageToken", "checkedInAt", "updatedAt")
      SELECT 'part' || lpad(n::text, 5, '0'), ${placed.id}, ${type.id}, 'Attendee ' || n, 'p' || n || '@example.com', 'pq' || n, 'ps' || n, 'pm' || n,
        CASE WHEN n = 1 THEN '2025-09-09 13:05:00'::timestamp END, now()
      FROM generate_series(1, 3000) AS n`;
    const rows = csvRecords(await (await download("attendees", cookie)).text());
    expect(rows.find((r) => r["Ticket ID"] === "part00001")!["Checked in at (UTC)"]).toBe("2025-09-09T13:05:00.000Z");

    for (let i = 0; i < POOL_SIZE + 2; i++) {
      const reader = (await download("attendees", cookie)).body!.getReader();
      await reader.read(); // the header
      await reader.read(); // the first batch: the cursor is open
      await reader.cancel();
    }
    // Had a cancelled download kept its connection, the pool would be empty and this would wait.
    expect(await db().ticket.count({ where: { orderId: placed.id } })).toBe(3000);
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
      evil += parts.filter((l) => l.includes(`,"'=EVIL()",`)).length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    // The header plus one line per ticket (no cell here contains a line break).
    expect(lines).toBe(total + 1);
    expect(evil).toBe(500);
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});
