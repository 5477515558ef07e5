/** The event mark: a magnet's field lines around a hexagonal crystal. Decorative only. */
export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M16 2 28 9v14l-12 7L4 23V9z" fill="var(--brand)" />
      <path d="M16 8.5 22.5 12.2v7.6L16 23.5l-6.5-3.7v-7.6z" fill="none" stroke="var(--accent)" strokeWidth="2.2" />
      <circle cx="16" cy="16" r="2.6" fill="#fff" />
    </svg>
  );
}
