import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { colors, styles } from "./theme";

/** What every email says about the event, ready to print. */
export type EmailEvent = {
  name: string;
  shortName: string;
  /** "September 9–10, 2025" */
  dates: string;
  city: string;
  venueName: string;
  venueAddress: string;
  organiser: string;
  /** The public site, e.g. https://tickets.example.com */
  siteUrl: string;
};

function EmailHeader({ event }: { event: EmailEvent }) {
  return (
    <Section style={{ backgroundColor: colors.ink, padding: "24px 32px 20px" }}>
      <Text style={{ margin: "0 0 6px", fontSize: "13px", lineHeight: "18px", fontWeight: 700, letterSpacing: "0.08em", textTransform: "uppercase", color: colors.copper }}>
        {`${event.dates} · ${event.city}`}
      </Text>
      <Text style={{ margin: 0, fontSize: "22px", lineHeight: "28px", fontWeight: 800, color: "#ffffff" }}>{event.name}</Text>
    </Section>
  );
}

function EmailFooter({ event, reason }: { event: EmailEvent; reason: string }) {
  return (
    <Section style={{ padding: "0 32px 28px" }}>
      <Hr style={{ borderColor: colors.line, margin: "16px 0" }} />
      <Text style={styles.small}>
        {`${event.name} is organised by ${event.organiser}. `}
        <Link href={event.siteUrl} style={styles.link}>
          {event.siteUrl}
        </Link>
      </Text>
      <Text style={styles.small}>{reason}</Text>
      <Text style={styles.small}>Speakers, sessions, sponsors, venue and prices in this email are sample content for a demonstration.</Text>
    </Section>
  );
}

/**
 * The frame of every email: the event's header, a copper rule, the title and message, and a footer
 * naming the organiser and why the reader got it. Table-based (react-email's Section), styled inline.
 */
export function EmailLayout({ event, title, preview, reason, children }: { event: EmailEvent; title: string; preview: string; reason: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head>
        <title>{title}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <EmailHeader event={event} />
          <Section data-skip-in-text="true" style={{ backgroundColor: colors.copper, height: "4px", lineHeight: "4px", fontSize: "1px" }}>
            &nbsp;
          </Section>
          <Section style={styles.content}>
            <Heading as="h1" style={styles.heading}>
              {title}
            </Heading>
            {children}
          </Section>
          <EmailFooter event={event} reason={reason} />
        </Container>
      </Body>
    </Html>
  );
}
