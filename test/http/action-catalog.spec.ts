import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userWithToken } from '../support/people.js';
import { describeEachDialect, startTestApp, type TestApp } from '../support/test-app.js';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [key: string]: unknown;
}

interface CatalogAction {
  id: string;
  title: string;
  description: string;
  effect: 'none' | 'read' | 'write';
  input: JsonSchema;
  output: JsonSchema;
}

interface CatalogConnector {
  id: string;
  title: string;
  description: string;
  connection: 'required' | 'optional' | 'none';
  settings: JsonSchema;
  secrets: JsonSchema;
  actions: CatalogAction[];
}

/** The built-in actions the issue asks for: get, update, comment, tasks, entities, alerts. */
const BUILTIN = [
  'incident.get',
  'incident.update',
  'incident.addComment',
  'incident.addTask',
  'incident.completeTask',
  'incident.getEntities',
  'incident.getAlerts',
  'incident.addAlert',
  'alert.getIncident',
];

/** The connector actions: HTTP, email, chat, VirusTotal reports and the identity provider. */
const EXTERNAL = [
  'http.request',
  'email.send',
  'slack.postMessage',
  'teams.postMessage',
  'virustotal.ipReport',
  'virustotal.domainReport',
  'virustotal.urlReport',
  'virustotal.fileReport',
  'identity.confirmUserCompromised',
  'identity.revokeSignInSessions',
  'identity.disableUser',
  'identity.resetPassword',
];

describeEachDialect('action catalog: GET /api/v1/actions', (dialect) => {
  let t: TestApp;
  let connectors: CatalogConnector[];
  const actions = () => connectors.flatMap((c) => c.actions);
  const action = (id: string) => actions().find((a) => a.id === id)!;
  const connector = (id: string) => connectors.find((c) => c.id === id)!;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const res = await t.get('/api/v1/actions');
    expect(res.status).toBe(200);
    connectors = res.body.connectors;
  });
  afterAll(() => t?.close());

  describe('what it lists', () => {
    it('lists the built-in incident and alert actions and every connector action, each id under its connector', () => {
      expect(actions().map((a) => a.id)).toEqual(expect.arrayContaining([...BUILTIN, ...EXTERNAL]));
      for (const c of connectors) for (const a of c.actions) expect(a.id.startsWith(`${c.id}.`), a.id).toBe(true);
      const ids = actions().map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('describes each connector and action with a title, a description and, for actions, their effect', () => {
      for (const c of connectors) {
        expect(c.title, c.id).toMatch(/\S/);
        expect(c.description, c.id).toMatch(/\S/);
        for (const a of c.actions) {
          expect(a.title, a.id).toMatch(/\S/);
          expect(a.description.length, a.id).toBeGreaterThan(10);
          expect(['none', 'read', 'write'], a.id).toContain(a.effect);
        }
      }
      expect(action('incident.get').effect).toBe('none');
      expect(action('virustotal.ipReport').effect).toBe('read');
      expect(action('identity.disableUser').effect).toBe('write');
    });

    it('says which connectors need a connection: built-ins none, HTTP optional, the others required', () => {
      expect(connector('incident').connection).toBe('none');
      expect(connector('alert').connection).toBe('none');
      expect(connector('http').connection).toBe('optional');
      for (const id of ['email', 'slack', 'teams', 'virustotal', 'identity'])
        expect(connector(id).connection, id).toBe('required');
    });
  });

  describe('schemas', () => {
    it('gives every action an input and an output JSON schema of an object', () => {
      for (const a of actions()) {
        expect(a.input.type, `${a.id} input`).toBe('object');
        expect(a.output.type, `${a.id} output`).toBe('object');
        expect(a.input.$schema, a.id).toContain('json-schema.org');
      }
    });

    it('marks required inputs and types them, as validation on save uses them', () => {
      expect(action('incident.addComment').input.required).toEqual(['message']);
      expect(action('incident.addComment').input.properties!.message!.type).toBe('string');
      expect(action('incident.addTask').input.required).toContain('title');
      expect(action('virustotal.ipReport').input.required).toEqual(['ip']);
      expect(action('http.request').input.required).toEqual(['url']);
      expect(Object.keys(action('http.request').input.properties!)).toEqual(
        expect.arrayContaining(['method', 'url', 'headers', 'query', 'body']),
      );
      expect(action('incident.get').input.required ?? []).toEqual([]);
    });

    it('documents outputs that later steps read', () => {
      expect(action('incident.get').output.required).toEqual(['incident']);
      expect(Object.keys(action('virustotal.ipReport').output.properties!)).toEqual(
        expect.arrayContaining(['malicious', 'suspicious', 'harmless', 'reputation', 'link']),
      );
      expect(action('incident.addTask').output.required).toContain('taskId');
    });

    it('gives connection settings and secrets as separate schemas: secrets never among the settings', () => {
      expect(connector('virustotal').secrets.required).toEqual(['apiKey']);
      expect(Object.keys(connector('virustotal').settings.properties!)).toEqual(['baseUrl', 'allowlist']);
      expect(connector('identity').secrets.required).toEqual(['clientSecret']);
      expect(connector('identity').settings.required).toEqual(expect.arrayContaining(['tenantId', 'clientId']));
      for (const c of connectors) {
        const settings = Object.keys(c.settings.properties ?? {});
        for (const field of Object.keys(c.secrets.properties ?? {})) expect(settings, `${c.id}.${field}`).not.toContain(field);
        expect(
          settings.filter((s) => /secret|password|token$|apiKey$/i.test(s)),
          c.id,
        ).toEqual([]);
      }
    });
  });

  describe('access', () => {
    it('needs a signed-in caller (401 without credentials) and is readable by any role', async () => {
      const anonymous = await t.get('/api/v1/actions', { token: null });
      expect(anonymous.status).toBe(401);
      expect(JSON.stringify(anonymous.body)).not.toContain('incident.get');
      const reader = await userWithToken(t, 'CatalogReader', 'Reader');
      const res = await t.get('/api/v1/actions', { token: reader.token });
      expect(res.status).toBe(200);
      expect(res.body.connectors).toEqual(connectors);
    });
  });
});
