// Ticket emails are rendered once per ticket type and event, with each attendee's name, order
// reference, badge code and link put into that frame. Readers must get exactly the bytes a whole
// render gives: names with markup characters, quotes, right-to-left and CJK scripts included.
import { describe, expect, it } from "vitest";
import Ticket, { type TicketProps } from "../../emails/ticket";
import { isFramed, renderEmailContent, type EmailContent } from "~/services/mailer.server";

const base: TicketProps = Ticket.PreviewProps;

const attendees = [
  "Tomáš Lindqvist",
  `O'Brien & "Sons" <Ltd>`,
  "<script>alert('x')</script>",
  "&amp; already escaped &#x27;",
  "محمد عبد الله",
  "דוד כהן (Dave)",
  "Dr. سارة Smith",
  "王小明",
  "山田 太郎",
  "김민준",
  "Zoë 🧲 Ng",
  "A",
  "x".repeat(300),
];

const ticketEmail = (props: TicketProps, personal = true): EmailContent<"ticket"> => ({
  template: "ticket",
  props,
  ...(personal ? { personal: ["attendeeName", "reference", "shortCode", "manageUrl"] as const } : {}),
});

async function bothWays(props: TicketProps) {
  const [framed, whole] = await Promise.all([renderEmailContent("s", ticketEmail(props)), renderEmailContent("s", ticketEmail(props, false))]);
  return { framed, whole };
}

describe("a ticket email from its type's frame", () => {
  it("is byte for byte the whole render, for every attendee of several types and events", async () => {
    const events = [base.event, { ...base.event, name: "Another & <Edition>", venueName: "Hôtel \"Le Lac\"" }];
    const types = ["Full Delegate Pass", "Investor Pass & Dinner"];
    let i = 0;
    for (const event of events) {
      for (const ticketType of types) {
        for (const attendeeName of attendees) {
          i++;
          const props = {
            ...base,
            event,
            ticketType,
            attendeeName,
            reference: `RE3M-${i}K2Q`,
            shortCode: `K7Q2M${i}XB`,
            manageUrl: `http://localhost:3000/my/tok-${i}?a=1&b="<${attendeeName}>"`,
          };
          expect(await isFramed(ticketEmail(props))).toBe(true);
          const { framed, whole } = await bothWays(props);
          expect(framed.html).toBe(whole.html);
          expect(framed.text).toBe(whole.text);
        }
      }
    }
  });

  it("renders whole, and the same, a value that whole rendering would not print as it is", async () => {
    for (const attendeeName of ["Eve\r\nBcc: victim@example.com", "  padded  ", "two  spaces", "zero\u200bwidth", "nul\0byte", ""]) {
      const props = { ...base, attendeeName };
      expect(await isFramed(ticketEmail(props))).toBe(false);
      const { framed, whole } = await bothWays(props);
      expect(framed.html).toBe(whole.html);
      expect(framed.text).toBe(whole.text);
    }
  });
});

describe("a template that does more with a value than print it", () => {
  it("is rendered whole: the preview text is padded to a length, so the type's name cannot be filled in", async () => {
    const content: EmailContent<"ticket"> = { template: "ticket", props: { ...base, ticketType: "Day Pass" }, personal: ["ticketType"] };
    expect(await isFramed(content)).toBe(false);
    const whole = await renderEmailContent("s", { template: "ticket", props: content.props });
    expect((await renderEmailContent("s", content)).html).toBe(whole.html);
  });
});
