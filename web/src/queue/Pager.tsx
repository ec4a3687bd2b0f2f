/** Previous / next page for a cursor-paged list, with the page number when it is known. */
export function Pager({
  pageNumber,
  shown,
  nextCursor,
  onPrevious,
  onNext,
  onFirst,
}: {
  /** null when the page was opened from a link and the pages before it are unknown. */
  pageNumber: number | null;
  shown: number;
  nextCursor: string | null;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  onFirst: () => void;
}) {
  const onFirstPage = pageNumber === 1;
  return (
    <nav className="pager row" aria-label="Pages">
      <span className="muted">
        {pageNumber ? `Page ${pageNumber}` : 'A later page'} · {shown} incident{shown === 1 ? '' : 's'} shown
      </span>
      <span className="spacer" />
      {pageNumber === null && (
        <button type="button" className="small" onClick={onFirst}>
          First page
        </button>
      )}
      <button
        type="button"
        className="small"
        onClick={onPrevious}
        disabled={onFirstPage}
        title={onFirstPage ? 'This is the first page' : undefined}
      >
        ← Previous page
      </button>
      <button
        type="button"
        className="small"
        onClick={() => nextCursor && onNext(nextCursor)}
        disabled={!nextCursor}
        title={nextCursor ? undefined : 'This is the last page'}
      >
        Next page →
      </button>
    </nav>
  );
}
