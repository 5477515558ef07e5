/** The organiser's refund policy (event settings), where a buyer decides or looks back. */
export function RefundPolicy({ text, className }: { text: string; className?: string }) {
  if (!text) return null;
  return (
    <section className={className} aria-labelledby="refund-policy">
      <h2 id="refund-policy">Refunds</h2>
      <p className="pre-line">{text}</p>
    </section>
  );
}
