import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent, sampleToken } from "./components/sample";
import { Action, Fine, Highlight, Paragraph } from "./components/ui";

export type WaitlistOfferProps = {
  event: EmailEvent;
  name: string;
  ticketType: string;
  /** "3:15 p.m. EDT on Wednesday, September 3, 2025" (the event's time zone) */
  heldUntil: string;
  offerUrl: string;
};

/** A seat came back and is held for the first person on the waiting list until the offer ends. */
export default function WaitlistOffer(props: WaitlistOfferProps) {
  return (
    <EmailLayout
      event={props.event}
      preview={`A ${props.ticketType} is held for you until ${props.heldUntil}`}
      reason={`You received this email because you joined the waiting list for ${props.ticketType} at ${props.event.shortName}.`}
      title="A seat is available for you"
    >
      <Paragraph>{`Good news, ${props.name}: a ${props.ticketType} for ${props.event.name} has become available, and you are first on the waiting list.`}</Paragraph>
      <Highlight label="Held for you until" value={props.heldUntil} />
      <Action href={props.offerUrl}>Buy your ticket</Action>
      <Fine>If you do not buy it by then, the seat goes to the next person waiting. If you no longer need it, you do not have to do anything.</Fine>
    </EmailLayout>
  );
}

WaitlistOffer.PreviewProps = {
  event: sampleEvent,
  name: "Priya Raman",
  ticketType: "Full Delegate Pass",
  heldUntil: "3:15 p.m. EDT on Wednesday, September 3, 2025",
  offerUrl: `http://localhost:3000/tickets/checkout?offer=${sampleToken}&quantities.full-delegate-pass=1`,
} satisfies WaitlistOfferProps;
