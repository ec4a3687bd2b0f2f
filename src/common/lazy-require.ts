import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a CommonJS package the first time it is used, so packages that only some requests need
 * (HTML sanitizing, the PostgreSQL driver on SQLite) stay out of the server's start-up.
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
