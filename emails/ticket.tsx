import { Img, Section, Text } from "@react-email/components";
import { Fragment } from "react";
import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent, sampleQrDataUri, sampleToken } from "./components/sample";
import { styles } from "./components/theme";
import { Action, Facts, Fine, Paragraph, Subtitle } from "./components/ui";

export type TicketProps = {
  event: EmailEvent;
  attendeeName: string;
  ticketType: string;
  reference: string;
  /** One entry per event day: "Tuesday, September 9, 2025" and "8:00 a.m. – 6:30 p.m. EDT". */
  days: { date: string; hours: string | null }[];
  /** `cid:ticket-qr` in real emails: the PNG travels as an inline attachment. */
  qrSrc: string;
  shortCode: string;
  manageUrl: string;
  calendarFile: string;
};

/** One attendee's ticket: who, what, when, where, the QR code for the door and the private link. */
export default function Ticket(props: TicketProps) {
  return (
    <EmailLayout
      event={props.event}
      preview={`Your ${props.ticketType} for ${props.event.shortName}, with the QR code for the entrance`}
      reason={`You received this email because a ticket for ${props.event.shortName} was issued in your name (order ${props.reference}).`}
      title={`Your ticket, ${props.attendeeName}`}
    >
      <Paragraph>Show the QR code below at the entrance, on your phone or printed. Your badge is ready when you arrive.</Paragraph>
      <Section style={{ textAlign: "center", margin: "0 0 20px" }}>
        <Img src={props.qrSrc} width="220" height="220" alt={`QR code of the ticket of ${props.attendeeName}`} style={{ margin: "0 auto", display: "block" }} />
        <Text style={{ ...styles.small, margin: "8px 0 0" }}>Badge code (for typing at sponsor booths)</Text>
        <Text style={styles.code}>{props.shortCode}</Text>
      </Section>
      <Facts
        items={[
          { label: "Attendee", value: props.attendeeName },
          { label: "Ticket", value: props.ticketType },
          {
            label: props.days.length > 1 ? "Dates" : "Date",
            value: props.days.map((d, i) => (
              <Fragment key={d.date}>
                {i > 0 ? <br /> : null}
                {d.hours ? `${d.date}, ${d.hours}` : d.date}
              </Fragment>
            )),
          },
          { label: "Venue", value: `${props.event.venueName}, ${props.event.venueAddress}` },
          { label: "Order", value: props.reference },
        ]}
      />
      <Paragraph>{`The attached calendar file (${props.calendarFile}) adds the conference days to your calendar.`}</Paragraph>
      <Subtitle>Your ticket page</Subtitle>
      <Paragraph>Correct your details, choose whether sponsors may contact you, pick sessions or pass the ticket to a colleague:</Paragraph>
      <Action href={props.manageUrl}>Manage your ticket</Action>
      <Fine>This link and the QR code are personal: anyone who has them can use or transfer your ticket, so please do not forward this email.</Fine>
    </EmailLayout>
  );
}

Ticket.PreviewProps = {
  event: sampleEvent,
  attendeeName: "Tomáš Lindqvist",
  ticketType: "Full Delegate Pass",
  reference: "RE3M-7K2QX",
  days: [
    { date: "Tuesday, September 9, 2025", hours: "8:00 a.m. – 9:00 p.m. EDT" },
    { date: "Wednesday, September 10, 2025", hours: "8:00 a.m. – 6:45 p.m. EDT" },
  ],
  qrSrc: sampleQrDataUri(sampleToken),
  shortCode: "K7Q2M9XB",
  manageUrl: `http://localhost:3000/my/${sampleToken}`,
  calendarFile: "re3m-2025.ics",
} satisfies TicketProps;
