// Files the site hands out (CSV exports, lead lists, calendars) as HTTP answers. The domain
// builds the content; how it travels is decided here.

/** A CSV attachment that no cache keeps: every list holds personal data. */
export function csvDownload(body: ReadableStream<Uint8Array>, filename: string) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

/** The lead CSV, for the sponsor's own download and the organisers' export. */
export const leadsDownload = (body: ReadableStream<Uint8Array>, sponsorSlug: string) => csvDownload(body, `re3m-leads-${sponsorSlug}.csv`);

export function calendarResponse(body: string, filename: string, extraHeaders: Record<string, string> = {}) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      ...extraHeaders,
    },
  });
}

/** A PDF (an invoice, a credit note, badges), kept by nobody but the browser that asked. */
export function pdfDownload(body: Buffer, filename: string) {
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

/** A ZIP of a person's data: personal by definition, kept by no cache. */
export function zipDownload(body: Uint8Array, filename: string) {
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
