import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLiveEvents, type LiveEvent } from '../api/live.js';

/** How long a changed or new row stays highlighted. */
const HIGHLIGHT_MS = 6_000;

/**
 * Incidents that changed or arrived in the last seconds (from the live stream), to highlight
 * their rows, and how many incidents were created since the queue was opened.
 * `workspace` null listens to every workspace (the cross-workspace queue).
 */
export function useRecentChanges(workspace: string | null) {
  const [recent, setRecent] = useState<ReadonlyMap<string, number>>(new Map());
  const [created, setCreated] = useState<ReadonlySet<string>>(new Set());
  const listener = useCallback(
    (events: LiveEvent[]) => {
      const mine = events.filter((e) => workspace === null || e.workspace === workspace);
      if (mine.length === 0) return;
      const at = Date.now();
      setRecent((current) => {
        const next = new Map(current);
        for (const event of mine) next.set(event.incidentId, at);
        return next;
      });
      const born = mine.filter((e) => e.action === 'incidentCreated').map((e) => e.incidentId);
      if (born.length) setCreated((current) => new Set([...current, ...born]));
    },
    [workspace],
  );
  useLiveEvents(listener);
  // Forget highlights once they have faded.
  useEffect(() => {
    if (recent.size === 0) return;
    const oldest = Math.min(...recent.values());
    const timer = setTimeout(
      () => setRecent((current) => new Map([...current].filter(([, at]) => Date.now() - at < HIGHLIGHT_MS))),
      Math.max(0, oldest + HIGHLIGHT_MS - Date.now()) + 50,
    );
    return () => clearTimeout(timer);
  }, [recent]);
  const ids = useMemo<ReadonlySet<string>>(() => new Set(recent.keys()), [recent]);
  return { recent: ids, newSinceOpened: created.size, resetNew: useCallback(() => setCreated(new Set()), []) };
}
