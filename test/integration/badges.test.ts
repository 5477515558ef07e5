// Name badges: sheets of six 4 × 3 in inserts on US letter and single labels for the door, with
// every name readable whatever its script and length, and the QR code sponsors scan.
import { describe, expect, it } from "vitest";
import { BADGE, BAND_HEIGHT, COMPANY_BOX, HEADER_HEIGHT, NAME_BOX, PADDING, SHEET, TEXT_WIDTH } from "../../documents/badge-layout";
import { badgesPdf, BAND_COLOURS, bandForeground, ticketTypeColours } from "~/domain/badges.server";
import { DomainError } from "~/domain/errors";
import { fitText, type FitBox } from "~/domain/text-fit";
import { loader as pdfLoader } from "~/routes/admin.badges[.pdf]";
import { db } from "~/services/db.server";
import { fontFamiliesFor, textMeasure } from "~/services/pdf-fonts.server";
import { cookieFor, request, userWithRole } from "../support/auth";
import { seededEvent, ticketType } from "../support/factories";
import { issuedTickets } from "../support/issued-tickets";
import { readPdf, readPdfLayout } from "../support/pdf";

const LONG_NAME = "Maximiliana Konstantinopoulou-Papadakis";
const LONG_COMPANY = "Hellenic Rare Earth Magnet Manufacturing and Recycling Consortium S.A.";
const ONE_LONG_WORD = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeit";

/** Names in every script the badges print, in two orders (one order holds at most ten tickets). */
const latinGreekCyrillic = [
  { name: "Ada Lovelace", company: "Analytical Engines Ltd" },
  { name: LONG_NAME, company: LONG_COMPANY },
  { name: "Tomáš Dvořák", company: "Škoda Magnetics a.s." },
  { name: "Αλέξανδρος Παπαδόπουλος", company: "Ελληνικά Μεταλλεία" },
  { name: "Ёлка Иванова-Смирнова", company: "Норильский никель" },
  { name: "Nguyễn Thị Ánh", company: "" },
  { name: ONE_LONG_WORD, company: "Sample Magnetics" },
  { name: "Zoë O’Brien-Núñez", company: "Łódź Magnesy sp. z o.o." },
  { name: "Ana Lu", company: "" },
];
const otherScripts = [
  { name: "王小明", company: "中国北方稀土(集团)高科技股份有限公司" },
  { name: "山田 太郎", company: "信越化学工業株式会社" },
  { name: "김민준", company: "현대자동차" },
  { name: "דוד כהן", company: "מגנטים בע״מ" },
  { name: "محمد نجاتي", company: "شركة معادن" },
];

/**
 * Text as a reader extracts it, without the spaces and line ends that wrapping adds, nor the
 * control character that react-pdf's text layer writes for a mark glyph (the dot of Vietnamese ị).
 */
const compact = (s: string) => s.normalize("NFC").replace(/[\s\p{Cc}]+/gu, "");

async function printed(people: { name: string; company: string }[]) {
  const tickets = await issuedTickets(people);
  const { ticketTypeId } = await db().ticket.findUniqueOrThrow({ where: { id: tickets[0]!.id }, select: { ticketTypeId: true } });
  return { tickets, ticketTypeId };
}

describe("badge PDFs", () => {
  it("print six badges to a US letter page, one per valid ticket of the type, each name, company and QR code on it", async () => {
    const event = await seededEvent();
    const organiser = await userWithRole("ORGANISER");
    const { tickets, ticketTypeId } = await printed(latinGreekCyrillic);
    await db().ticket.update({ where: { id: tickets[0]!.id }, data: { status: "CANCELLED" } });
    const valid = tickets.slice(1);

    const { pdf, count, filename } = await badgesPdf(event, { kind: "type", ticketTypeId }, "sheet", organiser.id);
    expect({ count, filename }).toEqual({ count: valid.length, filename: expect.stringMatching(/^badges-test-.+-sheet\.pdf$/) });
    const pages = await readPdfLayout(pdf);
    expect(pages.map((p) => [p.width, p.height])).toEqual([
      [612, 792],
      [612, 792],
    ]);
    expect(pages.map((p) => p.images)).toEqual([6, valid.length - 6]);
    expect(pages.flatMap((p) => p.qrCodes).sort()).toEqual(valid.map((t) => t.qrCode).sort());

    const text = compact((await readPdf(pdf)).text);
    for (const t of valid) {
      expect(text).toContain(compact(t.name));
      expect(text).toContain(compact(t.company));
      expect(text).toContain(t.shortCode);
    }
    expect(text).not.toContain(compact(tickets[0]!.name));
    expect(text.match(new RegExp(compact(event.shortName), "g"))).toHaveLength(valid.length);
    expect(await db().auditLog.findFirst({ where: { action: "badges.printed", actorId: organiser.id }, select: { subject: true, after: true } })).toEqual({
      subject: `ticket-type:${ticketTypeId}`,
      after: { layout: "sheet", badges: valid.length },
    });
  });

  it("print one 4 × 3 in label per badge, in name order", async () => {
    const event = await seededEvent();
    const organiser = await userWithRole("ORGANISER");
    const { tickets, ticketTypeId } = await printed(latinGreekCyrillic.slice(0, 4));
    const { pdf } = await badgesPdf(event, { kind: "type", ticketTypeId }, "label", organiser.id);
    const pages = await readPdfLayout(pdf);
    expect(pages.map((p) => [p.width, p.height])).toEqual(tickets.map(() => [288, 216]));
    const byName = [...tickets].sort((a, b) => a.name.localeCompare(b.name, "en"));
    expect(pages.map((p) => p.qrCodes)).toEqual(byName.map((t) => [t.qrCode]));
  });

  it("print Chinese, Japanese, Korean, Hebrew and Arabic names with fonts that hold them", async () => {
    const event = await seededEvent();
    const organiser = await userWithRole("ORGANISER");
    const { tickets, ticketTypeId } = await printed(otherScripts);
    const { pdf } = await badgesPdf(event, { kind: "type", ticketTypeId }, "sheet", organiser.id);
    const text = compact((await readPdf(pdf)).text);
    // Right-to-left words are read back in the order they stand on the page, so each is looked for
    // on its own. Arabic is left out: its words are drawn right (the rendered pages were checked),
    // but pdf.js reads some dotted letters back as others (ح for ج), a flaw of the text layer that
    // react-pdf writes for it (diegomura/react-pdf#3533).
    for (const t of tickets.filter((t) => !/\p{Script=Arabic}/u.test(t.name))) {
      for (const word of `${t.name} ${t.company}`.split(" ")) expect(text).toContain(word);
    }
    expect(fontFamiliesFor(tickets.map((t) => t.name).join(""))).toEqual(expect.arrayContaining(["noto-sans-arabic arabic", "noto-sans-hebrew hebrew"]));
  });

  it("keep every line of a name or company inside its box beside the QR code, however long", async () => {
    const event = await seededEvent();
    const organiser = await userWithRole("ORGANISER");
    const { ticketTypeId } = await printed([...latinGreekCyrillic.slice(1, 7), ...otherScripts.slice(0, 4)]);
    const { pdf } = await badgesPdf(event, { kind: "type", ticketTypeId }, "label", organiser.id);
    const pages = await readPdfLayout(pdf);
    const textRight = PADDING.x + TEXT_WIDTH;
    for (const page of pages) {
      // Runs that start in the text column, below the header and above the band (y from the bottom).
      const column = page.items.filter((item) => item.x > PADDING.x - 1 && item.x < textRight && item.y > BAND_HEIGHT && item.y < BADGE.height - PADDING.top - HEADER_HEIGHT);
      expect(column.length).toBeGreaterThan(1);
      for (const item of column) expect(item.x + item.width, `"${item.str}" runs into the QR code`).toBeLessThanOrEqual(textRight + 0.5);
    }
  });

  it("are refused, with what is wrong, for an unknown type or ticket, a cancelled ticket and a type with no valid ticket", async () => {
    const event = await seededEvent();
    const organiser = await userWithRole("ORGANISER");
    const refusal = (selection: Parameters<typeof badgesPdf>[1]) =>
      badgesPdf(event, selection, "label", organiser.id).then(
        () => null,
        (error: unknown) => (error instanceof DomainError ? error.rule : error),
      );
    const { tickets } = await printed([{ name: "Carla Cancelled", company: "" }]);
    await db().ticket.update({ where: { id: tickets[0]!.id }, data: { status: "REFUNDED" } });
    const empty = await ticketType();
    expect(await refusal({ kind: "type", ticketTypeId: "no-such-type" })).toBe("badges.unknown-type");
    expect(await refusal({ kind: "ticket", ticketId: "no-such-ticket" })).toBe("badges.unknown-ticket");
    expect(await refusal({ kind: "ticket", ticketId: tickets[0]!.id })).toBe("badges.ticket-not-valid");
    expect(await refusal({ kind: "type", ticketTypeId: empty.id })).toBe("badges.none-valid");
    expect(await db().auditLog.count({ where: { action: "badges.printed", actorId: organiser.id } })).toBe(0);
  });
});

describe("/admin/badges.pdf", () => {
  const get = async (query: string, role: "ORGANISER" | "CHECKIN" = "ORGANISER") => {
    const { cookie } = await cookieFor(role);
    const response = (await pdfLoader({ request: request(`/admin/badges.pdf?${query}`, { cookie }), params: {}, context: {} })) as Response;
    return { status: response.status, type: response.headers.get("Content-Type"), body: response.headers.get("Content-Type")?.startsWith("text/") ? await response.text() : "" };
  };

  it("gives door staff one person's label, and organisers any selection", async () => {
    const { tickets, ticketTypeId } = await printed([{ name: "Dora Door", company: "" }]);
    expect(await get(`ticket=${tickets[0]!.id}&layout=label`, "CHECKIN")).toMatchObject({ status: 200, type: "application/pdf" });
    expect(await get(`type=${ticketTypeId}`)).toMatchObject({ status: 200, type: "application/pdf" });
    await expect(get(`type=${ticketTypeId}`, "CHECKIN")).rejects.toMatchObject({ status: 403 });
  });

  it("answers bad input with a 4xx that says what is wrong", async () => {
    const { tickets } = await printed([{ name: "Rita Refunded", company: "" }]);
    await db().ticket.update({ where: { id: tickets[0]!.id }, data: { status: "REFUNDED" } });
    expect(await get(`ticket=${tickets[0]!.id}`)).toEqual({ status: 409, type: "text/plain; charset=utf-8", body: expect.stringContaining("Rita Refunded's ticket was refunded") });
    expect(await get("type=nope")).toMatchObject({ status: 404, body: expect.stringContaining("That ticket type does not exist") });
    expect(await get("ticket=nope")).toMatchObject({ status: 404, body: expect.stringContaining("That ticket does not exist") });
    expect(await get("type=all&layout=poster")).toMatchObject({ status: 400, body: "Choose sheets or single labels.\n" });
    expect(await get("layout=label")).toMatchObject({ status: 400, body: expect.stringContaining("Choose whose badges to print") });
    expect(await get("type=%3Cscript%3E")).toMatchObject({ status: 400 });
  });
});

describe("ticket type colours", () => {
  it("differ between types and stay with a type when types are reordered, renamed or added", async () => {
    const event = await seededEvent();
    const before = await ticketTypeColours(event.id);
    const types = [...before.keys()];
    expect(new Set([...before.values()].slice(0, BAND_COLOURS.length)).size).toBe(Math.min(types.length, BAND_COLOURS.length));
    await db().ticketType.update({ where: { id: types[0]! }, data: { position: 99, name: "Renamed Pass" } });
    const added = await ticketType();
    const after = await ticketTypeColours(event.id);
    for (const id of types) expect(after.get(id)).toBe(before.get(id));
    expect(after.get(added.id)).toBeDefined();
  });

  it("write the type's name in white on dark bands and in ink on light ones", () => {
    expect(bandForeground("#4a2ea0")).toBe("#ffffff");
    expect(bandForeground("#f0e442")).toBe("#1d1830");
    expect(BAND_COLOURS.map(bandForeground)).toContain("#1d1830");
  });
});

describe("fitting text to a badge", () => {
  const box: FitBox = { width: 100, height: 2 * 20 * 1.15, lineHeight: 1.15, oneLine: [26, 24, 22, 20], twoLines: [20, 18, 16, 14, 13, 12] };
  // A monospaced stand-in font: each character is 0.6 em wide.
  const mono = (text: string, size: number) => [...text].length * size * 0.6;

  it("keeps a short name on one line at the largest size", () => {
    expect(fitText("Ada", box, mono)).toEqual({ lines: ["Ada"], fontSize: 26, lineHeight: 1.15 });
  });

  it("shrinks step by step before it wraps", () => {
    expect(fitText("Ada Kay", box, mono)).toEqual({ lines: ["Ada Kay"], fontSize: 22, lineHeight: 1.15 });
  });

  it("wraps to two balanced lines at a space, after a hyphen or between Chinese words", () => {
    expect(fitText("Augusta Ada King-Noel", box, mono)).toEqual({ lines: ["Augusta Ada", "King-Noel"], fontSize: 14, lineHeight: 1.15 });
    expect(fitText("Konstantinou-Papadaki", box, mono)).toEqual({ lines: ["Konstantinou-", "Papadaki"], fontSize: 12, lineHeight: 1.15 });
    expect(fitText("中国北方稀土高科技股份有限公司", box, mono)).toEqual({ lines: ["中国北方稀土", "高科技股份有限公司"], fontSize: 18, lineHeight: 1.15 });
  });

  it("leaves more space between lines of Arabic, whose letters reach further below the line", () => {
    expect(fitText("محمد نجاتي", box, mono).lineHeight).toBe(1.4);
  });

  it("splits a word longer than the line only when nothing else fits, and keeps every character", () => {
    const fitted = fitText(ONE_LONG_WORD, box, mono);
    expect(fitted.lines.join("")).toBe(ONE_LONG_WORD);
    for (const line of fitted.lines) expect(mono(line, fitted.fontSize)).toBeLessThanOrEqual(box.width);
    expect(fitted.lines.length * fitted.fontSize * box.lineHeight).toBeLessThanOrEqual(box.height);
  });

  it("fits real names with the real fonts inside the name and company boxes", async () => {
    const people = [...latinGreekCyrillic, ...otherScripts];
    const measure = await textMeasure(fontFamiliesFor(people.map((p) => `${p.name} ${p.company}`).join(" ")));
    for (const p of people) {
      for (const [text, fitBox, weight] of [
        [p.name, NAME_BOX, 700],
        [p.company, COMPANY_BOX, 400],
      ] as const) {
        if (!text) continue;
        const fitted = fitText(text, fitBox, (s, size) => measure(s, size, weight));
        expect(compact(fitted.lines.join(""))).toBe(compact(text));
        for (const line of fitted.lines) expect(measure(line, fitted.fontSize, weight)).toBeLessThanOrEqual(fitBox.width);
      }
    }
    expect(measure("Ada Lovelace", 24, 700)).toBeGreaterThan(measure("Ada Lovelace", 24, 400));
  });
});

// The sheet's geometry is the stock's: two columns of 4 in inside 1/4 in margins, three rows of 3 in inside 1 in margins.
it("lays badges on US letter exactly as badge insert stock has them", () => {
  expect(SHEET.left * 2 + SHEET.columns * BADGE.width).toBe(SHEET.width);
  expect(SHEET.top * 2 + SHEET.rows * BADGE.height).toBe(SHEET.height);
});
