import { describe, expect, it } from 'vitest';
import {
  armContext,
  evaluateArmString,
  guid,
  resolveArmValue,
  suppliedParameters,
  templateResources,
  uniqueString,
  Unresolved,
} from './arm-expressions.js';

const template = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  parameters: {
    workspace: { type: 'string' },
    ruleName: { type: 'string', defaultValue: 'Default rule' },
    order: { type: 'int', defaultValue: 3 },
    enabled: { type: 'bool' },
    prefix: { type: 'string', defaultValue: "[toUpper('ab')]" },
  },
  variables: {
    guid: "[uniqueString(parameters('ruleName'))]",
    full: "[concat(variables('guid'), '-', parameters('prefix'))]",
    loop: "[variables('loop')]",
  },
};
const ctx = (supplied: Record<string, unknown> = {}) => armContext(template, supplied);
const run = (text: string, supplied: Record<string, unknown> = {}) => evaluateArmString(text, ctx(supplied));

describe('ARM expressions', () => {
  it('leaves literals alone and unescapes [[', () => {
    expect(run('plain text')).toBe('plain text');
    expect(run('[[not an expression]')).toBe('[not an expression]');
    expect(run("['it''s']")).toBe("it's");
    expect(run('[42]')).toBe(42);
  });

  it('reads parameters: supplied values win over defaults; defaults may be expressions; types are coerced', () => {
    expect(run("[parameters('ruleName')]")).toBe('Default rule');
    expect(run("[parameters('RULENAME')]", { ruleName: 'Mine' })).toBe('Mine');
    expect(run("[parameters('order')]", { order: '7' })).toBe(7);
    expect(run("[parameters('enabled')]", { enabled: 'false' })).toBe(false);
    expect(run("[parameters('prefix')]")).toBe('AB');
  });

  it('reports a parameter with no value, an undeclared one and an unknown function as unresolved', () => {
    const missing = run("[parameters('workspace')]");
    expect(missing).toBeInstanceOf(Unresolved);
    expect((missing as Unresolved).reason).toMatch(/workspace.*no value and no defaultValue/);
    expect((run("[parameters('nope')]") as Unresolved).reason).toMatch(/declares no parameter "nope"/);
    expect((run("[reference('x').id]") as Unresolved).reason).toMatch(/reference\(\) is not supported/);
    expect((run("[variables('loop')]") as Unresolved).reason).toMatch(/refers to itself/);
    expect(run("[concat('a']")).toBeInstanceOf(Unresolved);
    expect(run("[concat('a)]")).toBeInstanceOf(Unresolved);
  });

  it('evaluates concat, format, toLower, toUpper, variables', () => {
    expect(run("[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'x')]", { workspace: 'ws' })).toBe(
      'ws/Microsoft.SecurityInsights/x',
    );
    expect(run("[format('{0}-{1}-{0}', 'a', 2)]")).toBe('a-2-a');
    expect(run("[toLower('MiXeD')]")).toBe('mixed');
    expect(run("[toUpper(concat('a', 'b'))]")).toBe('AB');
    expect(run("[variables('full')]")).toBe(`${uniqueString('Default rule')}-AB`);
    expect(run("[concat(createArray('a'), 'b')]")).toBeInstanceOf(Unresolved);
  });

  it('uniqueString and guid are deterministic and shaped like ARM', () => {
    expect(uniqueString('a', 'b')).toBe(uniqueString('a', 'b'));
    expect(uniqueString('a', 'b')).not.toBe(uniqueString('a', 'c'));
    expect(uniqueString('x')).toMatch(/^[a-z2-7]{13}$/);
    expect(guid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run("[uniqueString('x')]")).toBe(uniqueString('x'));
  });

  it('builds resource ids for nested types, with or without subscription and resource group', () => {
    const id = run(
      "[resourceId('Microsoft.OperationalInsights/workspaces/providers/alertRules', 'ws', 'Microsoft.SecurityInsights', 'r1')]",
    );
    expect(id).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers/Microsoft.OperationalInsights/workspaces/ws/providers/Microsoft.SecurityInsights/alertRules/r1',
    );
    expect(run("[resourceId('sub', 'rg', 'Microsoft.Logic/workflows', 'pb')]")).toBe(
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Logic/workflows/pb',
    );
    expect(run("[resourceId('Microsoft.Logic/workflows', 'a', 'b')]")).toBeInstanceOf(Unresolved);
    expect(run('[subscription().subscriptionId]')).toBe('00000000-0000-0000-0000-000000000000');
    expect(run('[resourceGroup().name]')).toBe('resourceGroup');
  });

  it('resolves whole values, reporting each unresolved path', () => {
    const problems: { path: string; message: string }[] = [];
    const value = resolveArmValue(
      { a: "[parameters('ruleName')]", b: ["[parameters('workspace')]", 1, null], c: { d: true } },
      ctx(),
      'x',
      problems,
    ) as any;
    expect(value.a).toBe('Default rule');
    expect(value.b[0]).toBeInstanceOf(Unresolved);
    expect(value.b.slice(1)).toEqual([1, null]);
    expect(value.c).toEqual({ d: true });
    expect(problems).toEqual([
      { path: 'x.b[0]', message: expect.stringMatching(/^could not resolve \[parameters\('workspace'\)\]/) },
    ]);
  });

  it('accepts supplied parameters as values, { value } objects or a parameters file; lists undeclared ones', () => {
    expect(suppliedParameters({ a: 1, b: { value: 'x' } })).toEqual({ a: 1, b: 'x' });
    expect(suppliedParameters({ $schema: 's', parameters: { a: { value: 2 } } })).toEqual({ a: 2 });
    expect(ctx({ nope: 1 }).undeclared).toEqual(['nope']);
  });

  it('finds the wanted resources of a template, nested deployments included', () => {
    const outer = {
      ...template,
      resources: [
        { type: 'Microsoft.Logic/workflows', name: 'pb' },
        { type: 'Microsoft.SecurityInsights/automationRules', name: "[parameters('ruleName')]", properties: { x: 1 } },
        {
          type: 'Microsoft.Resources/deployments',
          name: 'nested',
          properties: {
            parameters: { inner: { value: "[concat(parameters('workspace'), '!')]" } },
            template: {
              parameters: { inner: { type: 'string' } },
              resources: [{ type: 'Microsoft.SecurityInsights/automationRules', name: "[parameters('inner')]" }],
            },
          },
        },
      ],
    };
    const { resources, ignored } = templateResources(outer, { workspace: 'ws' }, /automationRules$/);
    expect(resources.map((r) => [r.path, r.name])).toEqual([
      ['document.resources[1]', 'Default rule'],
      ['document.resources[2].properties.template.resources[0]', 'ws!'],
    ]);
    expect(ignored).toEqual([{ path: 'document.resources[0]', message: expect.stringContaining('Microsoft.Logic/workflows') }]);
  });
});
