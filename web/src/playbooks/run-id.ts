/** A run's short name: the end of its id (ids are time-ordered, so their starts look alike). */
export function shortRunId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}
