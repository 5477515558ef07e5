import { Link } from "@remix-run/react";

const AVATAR_COLOURS = ["#4c2a9e", "#8a3f0c", "#135a32", "#123f86", "#6b1d5c", "#3b3a5c", "#0f5e66", "#7a2e0e"];

export function initialsOf(name: string) {
  const words = name.replace(/^(Dr|Prof)\.?\s+/i, "").split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => w[0]!.toUpperCase()).join("");
}

function colourFor(name: string) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return AVATAR_COLOURS[h % AVATAR_COLOURS.length];
}

/** A photo when there is one, otherwise the person's initials on a colour derived from the name. */
export function Avatar({ name, photoUrl, size }: { name: string; photoUrl?: string | null; size?: "sm" | "lg" }) {
  const className = `avatar${size ? ` avatar--${size}` : ""}`;
  if (photoUrl) {
    return (
      <span className={className}>
        <img src={photoUrl} alt="" loading="lazy" />
      </span>
    );
  }
  return (
    <span className={className} style={{ "--avatar-bg": colourFor(name) } as React.CSSProperties} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}

type SpeakerCardData = { slug: string; name: string; role: string; company: string; photoUrl: string | null };

/** `linked`: false where the speaker has no page of their own (a past edition's archive). */
export function SpeakerCard({ speaker, headingLevel = 3, linked = true }: { speaker: SpeakerCardData; headingLevel?: 2 | 3; linked?: boolean }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="card speaker-card">
      <Avatar name={speaker.name} photoUrl={speaker.photoUrl} />
      <Heading>
        {linked ? (
          <Link className="card__link" to={`/speakers/${speaker.slug}`} prefetch="intent">
            {speaker.name}
          </Link>
        ) : (
          speaker.name
        )}
      </Heading>
      <p>
        {speaker.role}, {speaker.company}
      </p>
    </article>
  );
}
