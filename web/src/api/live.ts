import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { LiveEvent } from '../../../src/live/live-feed.js';

export type { LiveEvent };

type LiveListener = (events: LiveEvent[]) => void;
const listeners = new Set<LiveListener>();

/**
 * Keeps one server-sent event stream (GET /api/v1/live) open while signed in and refreshes the
 * cached incident data it names: the queue and counts (keys `['incidents', ws, …]`) and the changed
 * incident with its tasks, comments and activity (keys `['incident', ws, number, …]`). Returns whether the stream is connected.
 */
export function useLiveUpdates(enabled: boolean): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/live');
    source.addEventListener('ready', () => {
      setConnected(true);
      // The stream reports changes from the moment it (re)connects: refresh what changed before.
      void client.invalidateQueries({ queryKey: ['incidents'] });
      void client.invalidateQueries({ queryKey: ['incident'] });
    });
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('incidents', (message) => {
      const events = JSON.parse((message as MessageEvent<string>).data) as LiveEvent[];
      const workspaces = new Set(events.map((e) => e.workspace));
      for (const workspace of workspaces) {
        void client.invalidateQueries({ queryKey: ['incidents', workspace] });
        void client.invalidateQueries({ queryKey: ['tags', workspace] });
      }
      void client.invalidateQueries({ queryKey: ['incidents', '*'] });
      for (const event of events) {
        void client.invalidateQueries({ queryKey: ['incident', event.workspace, event.incidentNumber] });
      }
      for (const listener of listeners) listener(events);
    });
    return () => {
      source.close();
      setConnected(false);
    };
  }, [enabled, client]);
  return connected;
}

/** Calls `listener` with each batch of live events (e.g. to flash new rows); unsubscribes on unmount. */
export function useLiveEvents(listener: LiveListener): void {
  useEffect(() => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [listener]);
}
