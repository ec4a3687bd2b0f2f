import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The ConfigError message loadConfig throws for these settings. */
function failure(env: Record<string, string | undefined>, flags: Record<string, string | undefined> = {}): string {
  try {
    loadConfig(env, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('has defaults: port 8080, host 127.0.0.1, ./data with the embedded SQLite database, level info', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.storage).toEqual({ kind: 'sqlite', file: path.join(path.resolve('./data'), 'vigil.db') });
    expect(config.logLevel).toBe('info');
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.adminEmail).toBeUndefined();
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({ PORT: '', HOST: '  ', DATA_DIR: '', DATABASE_URL: '', LOG_LEVEL: ' ' });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.storage.kind).toBe('sqlite');
    expect(config.logLevel).toBe('info');
  });

  it('reads the environment', () => {
    const config = loadConfig({ PORT: '9090', HOST: '0.0.0.0', DATA_DIR: '/tmp/vigil-data', LOG_LEVEL: 'debug' });
    expect(config.port).toBe(9090);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe('/tmp/vigil-data');
    expect(config.storage).toEqual({ kind: 'sqlite', file: '/tmp/vigil-data/vigil.db' });
    expect(config.logLevel).toBe('debug');
    // 0.0.0.0 is not an address to browse to: links use localhost.
    expect(config.publicUrl).toBe('http://localhost:9090');
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    const url = 'postgres://vigil:secret@db.internal:5432/vigil';
    expect(loadConfig({ DATABASE_URL: url }).storage).toEqual({ kind: 'postgres', url });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/vigil' }).storage.kind).toBe('postgres');
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig(
      { PORT: '9090', HOST: '0.0.0.0', DATA_DIR: '/env/dir', LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://env/db' },
      { PORT: '7070', HOST: '127.0.0.2', DATA_DIR: '/flag/dir', LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://flag/db' },
    );
    expect(config.port).toBe(7070);
    expect(config.host).toBe('127.0.0.2');
    expect(config.dataDir).toBe('/flag/dir');
    expect(config.logLevel).toBe('warn');
    expect(config.storage).toEqual({ kind: 'postgres', url: 'postgres://flag/db' });
    // An unset flag falls back to the environment.
    expect(loadConfig({ PORT: '9090' }, { HOST: '127.0.0.3' }).port).toBe(9090);
    expect(loadConfig({ PORT: '9090' }, { PORT: '' }).port).toBe(9090);
  });

  it('uses PUBLIC_URL without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://vigil.example.com/' }).publicUrl).toBe('https://vigil.example.com');
  });

  it.each([['abc'], ['80.5'], ['-1'], ['65536'], ['99999']])('rejects PORT=%s naming PORT', (value) => {
    const message = failure({ PORT: value });
    expect(message).toContain('PORT');
    expect(message).toContain(value);
  });

  it('accepts the edges of the port range', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('rejects an unknown LOG_LEVEL naming it and the choices', () => {
    const message = failure({ LOG_LEVEL: 'verbose' });
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('verbose');
    expect(message).toMatch(/info/);
  });

  it.each([['mysql://localhost/vigil'], ['not a url'], ['sqlite:./data/vigil.db']])(
    'rejects DATABASE_URL=%s naming it',
    (value) => {
      const message = failure({ DATABASE_URL: value });
      expect(message).toContain('DATABASE_URL');
      expect(message).toMatch(/postgres/);
    },
  );

  it('rejects an invalid flag naming the setting', () => {
    expect(failure({ PORT: '8080' }, { PORT: 'http' })).toContain('PORT');
  });

  it('names every invalid setting at once', () => {
    const message = failure({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('DATABASE_URL');
  });

  it('checks the first administrator settings', () => {
    expect(failure({ VIGIL_ADMIN_EMAIL: 'not-an-email' })).toContain('VIGIL_ADMIN_EMAIL');
    expect(failure({ VIGIL_ADMIN_EMAIL: 'a@example.com', VIGIL_ADMIN_PASSWORD: 'short' })).toContain('VIGIL_ADMIN_PASSWORD');
    expect(failure({ VIGIL_ADMIN_PASSWORD: 'long enough password' })).toContain('VIGIL_ADMIN_EMAIL');
    const config = loadConfig({ VIGIL_ADMIN_EMAIL: 'a@example.com', VIGIL_ADMIN_PASSWORD: 'long enough password' });
    expect(config.adminEmail).toBe('a@example.com');
    expect(config.adminPassword).toBe('long enough password');
  });

  it('rejects a PUBLIC_URL that is not absolute', () => {
    expect(failure({ PUBLIC_URL: 'vigil.example.com' })).toContain('PUBLIC_URL');
  });
});
