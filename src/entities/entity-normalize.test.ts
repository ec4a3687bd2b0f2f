import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/errors.js';
import { camelCaseKey, normalizeEntities } from './entity-normalize.js';

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('camelCaseKey', () => {
  it.each([
    ['UPNSuffix', 'upnSuffix'],
    ['NTDomain', 'ntDomain'],
    ['PUID', 'puid'],
    ['AadUserId', 'aadUserId'],
    ['HostName', 'hostName'],
    ['OMSAgentID', 'omsAgentID'],
    ['IsDomainJoined', 'isDomainJoined'],
    ['accountName', 'accountName'],
    ['Url', 'url'],
  ])('%s → %s', (input, expected) => {
    expect(camelCaseKey(input)).toBe(expected);
  });
});

describe('normalizeEntities', () => {
  it('reads the REST shape {kind, properties}', () => {
    const [entity] = normalizeEntities(
      [{ kind: 'Account', properties: { accountName: 'alice', upnSuffix: 'contoso.com', friendlyName: 'Alice' } }],
      'entities',
    );
    expect(entity).toEqual({
      kind: 'Account',
      properties: { accountName: 'alice', upnSuffix: 'contoso.com', friendlyName: 'Alice' },
      identity: 'upn:alice@contoso.com',
      name: 'Alice',
    });
  });

  it('reads the Sentinel alert shape: PascalCase keys, lower-case Type, Name renamed per kind', () => {
    const entities = normalizeEntities(
      [
        { $id: '1', Type: 'account', Name: 'alice', UPNSuffix: 'contoso.com', NTDomain: 'CONTOSO', AadUserId: 'a-1' },
        { $id: '2', Type: 'host', HostName: 'web01', OSFamily: 'Windows', OMSAgentID: 'oms-1' },
        { $id: '3', Type: 'filehash', Algorithm: 'SHA1', Value: 'deadbeef' },
        { $id: '4', Type: 'ip', Address: '10.0.0.1' },
      ],
      'entities',
    );
    expect(entities.map((e) => e.kind)).toEqual(['Account', 'Host', 'FileHash', 'Ip']);
    expect(entities[0]!.properties).toEqual({
      accountName: 'alice',
      upnSuffix: 'contoso.com',
      ntDomain: 'CONTOSO',
      aadUserId: 'a-1',
    });
    expect(entities[0]!.identity).toBe('aad:a-1');
    expect(entities[0]!.name).toBe('alice@contoso.com');
    expect(entities[1]!.properties).toEqual({ hostName: 'web01', osFamily: 'Windows', omsAgentID: 'oms-1' });
    expect(entities[2]!.properties).toEqual({ algorithm: 'SHA1', hashValue: 'deadbeef' });
    expect(entities[2]!.identity).toBe('hash:sha1|deadbeef');
    expect(entities[3]).toMatchObject({ properties: { address: '10.0.0.1' }, identity: 'ip:10.0.0.1', name: '10.0.0.1' });
  });

  it('extracts nested entities (Process → ImageFile → FileHashes) and drops $ref links', () => {
    const entities = normalizeEntities(
      [
        { $id: '1', Type: 'account', Name: 'bob', UPNSuffix: 'contoso.com' },
        {
          $id: '2',
          Type: 'process',
          ProcessId: '100',
          CommandLine: 'cmd.exe /c whoami',
          Account: { $ref: '1' },
          ImageFile: {
            $id: '3',
            Type: 'file',
            Name: 'cmd.exe',
            Directory: 'C:\\Windows\\System32',
            FileHashes: [{ $id: '4', Type: 'filehash', Algorithm: 'MD5', Value: 'aa' }, { $ref: '9' }],
          },
          ParentProcess: { $ref: '7' },
        },
        { $ref: '1' },
      ],
      'entities',
    );
    expect(entities.map((e) => e.kind)).toEqual(['Account', 'Process', 'File', 'FileHash']);
    const process = entities[1]!;
    expect(process.properties).toEqual({ processId: '100', commandLine: 'cmd.exe /c whoami' });
    expect(entities[2]!.properties).toEqual({ fileName: 'cmd.exe', directory: 'C:\\Windows\\System32' });
    expect(entities[3]!.properties).toEqual({ algorithm: 'MD5', hashValue: 'aa' });
  });

  it('reads the flat shape {kind, ...properties}', () => {
    const [ip, url] = normalizeEntities(
      [
        { kind: 'Ip', address: '192.0.2.7' },
        { kind: 'url', url: 'https://x.example' },
      ],
      'entities',
    );
    expect(ip).toEqual({ kind: 'Ip', properties: { address: '192.0.2.7' }, identity: 'ip:192.0.2.7', name: '192.0.2.7' });
    expect(url).toMatchObject({ kind: 'Url', properties: { url: 'https://x.example' } });
  });

  it('gives equal identities to the same thing described in different shapes and cases', () => {
    const [a, b, c] = [
      normalizeEntities([{ kind: 'Account', properties: { accountName: 'alice', upnSuffix: 'contoso.com' } }], 'e'),
      normalizeEntities([{ $id: '1', Type: 'account', Name: 'ALICE', UPNSuffix: 'Contoso.com' }], 'e'),
      normalizeEntities([{ kind: 'Account', accountName: 'Alice', upnSuffix: 'CONTOSO.COM' }], 'e'),
    ].map((list) => list[0]!);
    expect(b!.identity).toBe(a!.identity);
    expect(c!.identity).toBe(a!.identity);
  });

  it('returns an entity described twice in one alert once', () => {
    const entities = normalizeEntities(
      [
        { kind: 'Account', accountName: 'alice', upnSuffix: 'contoso.com' },
        { $id: '5', Type: 'account', Name: 'Alice', UPNSuffix: 'contoso.com' },
        { kind: 'Ip', address: '10.0.0.1' },
        { kind: 'Ip', properties: { address: '10.0.0.1' } },
        { kind: 'Ip', address: '10.0.0.2' },
      ],
      'entities',
    );
    expect(entities.map((e) => `${e.kind}:${e.name}`)).toEqual(['Account:alice@contoso.com', 'Ip:10.0.0.1', 'Ip:10.0.0.2']);
  });

  it('keeps the same account name in different kinds apart', () => {
    const entities = normalizeEntities(
      [
        { kind: 'Account', accountName: 'x' },
        { kind: 'Host', hostName: 'x' },
      ],
      'e',
    );
    expect(entities).toHaveLength(2);
  });

  it('reports every unreadable entity with its path', () => {
    const error = errorOf(() =>
      normalizeEntities(
        [
          { kind: 'Ip', address: '10.0.0.1' },
          { kind: 'Spaceship' },
          'text',
          { address: '10.0.0.2' },
          { $id: '9', Type: 'process', ImageFile: { $id: '10', Type: 'bogus' } },
        ],
        'alerts[3].entities',
      ),
    );
    const details = error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual([
      'alerts[3].entities[1].kind',
      'alerts[3].entities[2]',
      'alerts[3].entities[3].kind',
      'alerts[3].entities[4].ImageFile.kind',
    ]);
    expect(details[0]!.message).toContain('Spaceship');
    expect(error.message).toContain('alerts[3].entities[1].kind');
  });

  it('accepts an empty list', () => {
    expect(normalizeEntities([], 'entities')).toEqual([]);
  });
});
