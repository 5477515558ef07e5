import { EmailLayout, type EmailEvent } from "./components/layout";
import { sampleEvent, sampleToken } from "./components/sample";
import { Action, Fine, Paragraph } from "./components/ui";

export type PasswordResetProps = {
  event: EmailEvent;
  name: string;
  resetUrl: string;
  /** "4:45 p.m. EDT on Tuesday, September 2, 2025" */
  expiresAt: string;
};

/** A link to choose a new password, asked for on the login page. */
export default function PasswordReset(props: PasswordResetProps) {
  return (
    <EmailLayout
      event={props.event}
      preview={`Choose a new password for ${props.event.shortName}`}
      reason="You received this email because someone asked to reset the password of the account with this address."
      title="Choose a new password"
    >
      <Paragraph>{`Hello ${props.name}, use the button below to choose a new password for your ${props.event.shortName} account.`}</Paragraph>
      <Action href={props.resetUrl}>Choose a new password</Action>
      <Fine>{`The link works once and until ${props.expiresAt}. If you did not ask for it, ignore this email: your password stays as it is.`}</Fine>
    </EmailLayout>
  );
}

PasswordReset.PreviewProps = {
  event: sampleEvent,
  name: "Jonas Ferreira",
  resetUrl: `http://localhost:3000/set-password?token=${sampleToken}`,
  expiresAt: "4:45 p.m. EDT on Tuesday, September 2, 2025",
} satisfies PasswordResetProps;
