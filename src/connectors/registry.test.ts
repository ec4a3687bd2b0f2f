import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeActionContext, startEchoServer, type EchoServer } from '../../test/support/fakes/index.js';
import { CONNECTORS, createConnectors, findAction, findConnector, secretOutputsOf } from './registry.js';

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(() => echo.close());

describe('connector registry', () => {
  it('lists the connectors and their actions', () => {
    expect(CONNECTORS.map((c) => c.id)).toEqual(['http', 'email', 'slack', 'teams', 'virustotal', 'identity']);
    expect(CONNECTORS.flatMap((c) => c.actions.map((a) => `${a.id}:${a.effect}`))).toEqual([
      'http.request:write',
      'email.send:write',
      'slack.postMessage:write',
      'teams.postMessage:write',
      'virustotal.ipReport:read',
      'virustotal.domainReport:read',
      'virustotal.urlReport:read',
      'virustotal.fileReport:read',
      'identity.confirmUserCompromised:write',
      'identity.revokeSignInSessions:write',
      'identity.disableUser:write',
      'identity.resetPassword:write',
    ]);
  });

  it('gives every connector a test, an allowlist setting, and documentable schemas', () => {
    for (const connector of CONNECTORS) {
      expect(connector.test, connector.id).toBeTypeOf('function');
      expect(JSON.stringify(z.toJSONSchema(connector.settings, { io: 'input' }))).toContain('"allowlist"');
      z.toJSONSchema(connector.secrets, { io: 'input' });
      for (const action of connector.actions) {
        expect(action.id.startsWith(`${connector.id}.`)).toBe(true);
        expect(action.title.length).toBeGreaterThan(3);
        expect(action.description.length).toBeGreaterThan(20);
        expect(z.toJSONSchema(action.input, { io: 'input' })).toMatchObject({ type: 'object' });
        expect(z.toJSONSchema(action.output)).toMatchObject({ type: 'object' });
      }
    }
  });

  it('finds actions by id and tells which outputs are secret', () => {
    expect(findAction('virustotal.ipReport')?.connector.id).toBe('virustotal');
    expect(findAction('virustotal.nope')).toBeUndefined();
    expect(findAction('nothing')).toBeUndefined();
    expect(findConnector('slack')?.connection).toBe('required');
    expect(findConnector('http')?.connection).toBe('optional');
    expect(secretOutputsOf(findAction('identity.resetPassword')!.action)).toEqual(['password']);
    expect(secretOutputsOf(findAction('http.request')!.action)).toEqual([]);
  });

  it('applies the server-wide allowlist, and rejects an invalid one at start', async () => {
    const run = (connectors: ReturnType<typeof createConnectors>) => {
      const action = findAction('http.request', connectors)!.action;
      return action.run(fakeActionContext(), action.input.parse({ url: `${echo.url}/x` }));
    };
    await expect(run(CONNECTORS)).rejects.toThrow(/loopback address/);
    await expect(run(createConnectors({ egressAllowlist: `example.com, 127.0.0.1:${echo.port}` }))).resolves.toMatchObject({
      status: 200,
    });
    expect(() => createConnectors({ egressAllowlist: '127.0.0.1, http://bad' })).toThrow(
      'VIGIL_EGRESS_ALLOWLIST: Invalid egress allowlist: "http://bad" is not a host, IP address or network (with an optional :port)',
    );
  });
});
