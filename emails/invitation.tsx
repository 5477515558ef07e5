import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent, sampleToken } from "./components/sample";
import { Action, Fine, Paragraph } from "./components/ui";

export type InvitationProps = {
  event: EmailEvent;
  name: string;
  role: "ADMIN" | "ORGANISER" | "CHECKIN" | "SPONSOR";
  /** The sponsor company, for sponsor accounts. */
  sponsorName: string | null;
  setPasswordUrl: string;
  /** "September 5, 2025" */
  expiresOn: string;
};

function whatYouCanDo({ role, sponsorName, event }: InvitationProps) {
  switch (role) {
    case "SPONSOR":
      return `As a member of the ${sponsorName ?? "sponsor"} team you can scan attendee badges at your booth, add notes and download your lead list.`;
    case "CHECKIN":
      return `You can check attendees in at the door of ${event.shortName}, by QR code or by name.`;
    default:
      return `You can manage the agenda, speakers, sponsors, tickets and orders of ${event.shortName}.`;
  }
}

/** An account made for a sponsor's staff member or an organiser: they choose their password. */
export default function Invitation(props: InvitationProps) {
  const where = props.role === "SPONSOR" ? `${props.event.shortName} sponsor area` : `${props.event.shortName} organiser area`;
  return (
    <EmailLayout
      event={props.event}
      preview={`You are invited to the ${where}`}
      reason={`You received this email because ${props.event.organiser} created an account for this address.`}
      title={`You are invited to the ${where}`}
    >
      <Paragraph>{`Hello ${props.name}, ${props.event.organiser} has created an account for you. ${whatYouCanDo(props)}`}</Paragraph>
      <Paragraph>Choose your password to start:</Paragraph>
      <Action href={props.setPasswordUrl}>Set your password</Action>
      <Fine>{`The link works once and until ${props.expiresOn}. If it has run out, ask the organisers for a new invitation.`}</Fine>
    </EmailLayout>
  );
}

Invitation.PreviewProps = {
  event: sampleEvent,
  name: "Jonas Ferreira",
  role: "SPONSOR",
  sponsorName: "Polaris Magnetics",
  setPasswordUrl: `http://localhost:3000/set-password?token=${sampleToken}`,
  expiresOn: "September 5, 2025",
} satisfies InvitationProps;
