import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent, sampleToken } from "./components/sample";
import { Action, Fine, Paragraph } from "./components/ui";

type Common = { event: EmailEvent; ticketType: string; fromName: string; toName: string };

/** One template, two readers: the holder who gave the ticket away and the person who received it. */
export type TicketTransferredProps = (Common & { role: "previous" }) | (Common & { role: "new"; manageUrl: string });

export default function TicketTransferred(props: TicketTransferredProps) {
  const { event } = props;
  if (props.role === "previous") {
    return (
      <EmailLayout
        event={event}
        preview={`Your ${props.ticketType} now belongs to ${props.toName}`}
        reason={`You received this email because your ticket for ${event.shortName} was transferred.`}
        title="Your ticket was transferred"
      >
        <Paragraph>{`Hello ${props.fromName}, your ${props.ticketType} for ${event.name} now belongs to ${props.toName}.`}</Paragraph>
        <Paragraph>Your QR code and your ticket link no longer work; the new holder has received their own.</Paragraph>
        <Fine>{`If you did not ask for this, reply to this email or contact ${event.organiser} as soon as possible.`}</Fine>
      </EmailLayout>
    );
  }
  return (
    <EmailLayout
      event={event}
      preview={`${props.fromName} transferred a ${props.ticketType} to you`}
      reason={`You received this email because ${props.fromName} transferred a ticket for ${event.shortName} to you.`}
      title={`${props.fromName} transferred a ticket to you`}
    >
      <Paragraph>{`Hello ${props.toName}, you now hold a ${props.ticketType} for ${event.name}, ${event.dates}, at ${event.venueName}, ${event.city}.`}</Paragraph>
      <Paragraph>Your ticket page has your QR code for the entrance. Check your details there and choose whether sponsors may contact you:</Paragraph>
      <Action href={props.manageUrl}>Open your ticket</Action>
      <Fine>This link is personal: anyone who has it can use or transfer your ticket, so please do not forward this email.</Fine>
    </EmailLayout>
  );
}

TicketTransferred.PreviewProps = {
  event: sampleEvent,
  role: "new",
  ticketType: "Full Delegate Pass",
  fromName: "Tomáš Lindqvist",
  toName: "Priya Raman",
  manageUrl: `http://localhost:3000/my/${sampleToken}`,
} satisfies TicketTransferredProps;
