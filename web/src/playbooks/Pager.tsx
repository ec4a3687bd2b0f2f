import { useState } from 'react';

/** Cursor paging state: the current cursor and the way back. Reset it when filters change. */
export function useCursorPager() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    cursor: stack.at(-1),
    page: stack.length + 1,
    next: (cursor: string) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

/** "Page N" with Previous / Next buttons under a cursor-paged list. */
export function Pager({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof useCursorPager>;
  nextCursor: string | null | undefined;
}) {
  if (pager.page === 1 && !nextCursor) return null;
  return (
    <nav className="row pager" aria-label="Pages">
      <button type="button" className="small" disabled={pager.page === 1} onClick={pager.previous}>
        ← Previous
      </button>
      <span className="muted">Page {pager.page}</span>
      <button type="button" className="small" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next →
      </button>
    </nav>
  );
}
