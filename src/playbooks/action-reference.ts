import type { describeCatalog } from './catalog-routes.js';

/** The action reference (docs/actions.md) rendered from the catalog the API serves at GET /api/v1/actions. */

type DescribedConnector = ReturnType<typeof describeCatalog>[number];

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

/** A schema's type in a few words: `string`, `"High" \| "Low"`, `list of string`, `string or number`. */
function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(', ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map(typeOf))].join(' or ');
  if (schema.type === 'array') return `list of ${typeOf(schema.items)}`;
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  if (schema.type === 'integer') return 'integer';
  if (schema.type === 'object' && schema.properties) return 'object';
  return schema.format ? `${schema.type ?? 'any'} (${schema.format})` : (schema.type ?? 'any');
}

/** What a field accepts beyond its type: bounds and default. */
function notes(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description.replace(/\.$/, ''));
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} items`);
  const bounded = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER;
  if (schema.minimum !== undefined && bounded) parts.push(`${schema.minimum}–${schema.maximum}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join('; ');
}

/** A table of an object schema's fields, or a line saying there are none. */
function fieldTable(raw: unknown, empty: string): string[] {
  const schema = raw as JsonSchema;
  const fields = Object.entries(schema?.properties ?? {});
  if (fields.length === 0) return [empty, ''];
  const required = new Set(schema.required ?? []);
  return [
    '| field | type | required | notes |',
    '| --- | --- | --- | --- |',
    ...fields.map(
      ([name, field]) =>
        `| \`${name}\` | ${cell(typeOf(field))} | ${required.has(name) && field.default === undefined ? 'yes' : ''} | ${cell(notes(field))} |`,
    ),
    '',
  ];
}

const CONNECTION_WORDS = {
  required: "Steps name a connection of this connector (`connection:` an alias from the playbook's `connections`).",
  optional: 'A connection is optional (settings such as a base URL or credentials come from it when given).',
  none: 'No connection: these actions work on Vigil itself, as the playbook.',
} as const;

function connectorSection(connector: DescribedConnector): string[] {
  const lines = [`## ${connector.title} (\`${connector.id}\`)`, '', connector.description, ''];
  lines.push(CONNECTION_WORDS[connector.connection as keyof typeof CONNECTION_WORDS] ?? '', '');
  if (connector.connection !== 'none') {
    lines.push('Connection settings:', '', ...fieldTable(connector.settings, 'No settings.'));
    lines.push('Connection secrets (write-only, encrypted at rest):', '', ...fieldTable(connector.secrets, 'No secrets.'));
  }
  for (const action of connector.actions) {
    lines.push(`### \`${action.id}\` — ${action.title}`, '', action.description, '', `Effect: **${action.effect}**.`, '');
    lines.push('Input:', '', ...fieldTable(action.input, 'No input.'));
    lines.push('Output:', '', ...fieldTable(action.output, 'No output.'));
  }
  return lines;
}

/** The whole reference as markdown: an index, then each connector with its connection and actions. */
export function renderActionReference(connectors: DescribedConnector[]): string {
  const index = connectors.flatMap((c) => c.actions.map((a) => `| \`${a.id}\` | ${cell(a.title)} | ${a.effect} |`));
  return [
    '# Action reference',
    '',
    '<!-- Generated from the action catalog (GET /api/v1/actions) by `npm run docs:actions`; do not edit. -->',
    '',
    'Every action a playbook step can `uses:`, with what its `with:` accepts (checked after the',
    "expressions are rendered) and what it returns as the step's `output`. Effects: **none** and",
    '**read** actions may be retried freely; **write** actions change something and receive an',
    'idempotency key per run and step. See [playbooks.md](playbooks.md) and [connectors.md](connectors.md).',
    '',
    '| action | title | effect |',
    '| --- | --- | --- |',
    ...index,
    '',
    ...connectors.flatMap(connectorSection),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}
