import type { JsonSchema } from '../api/actions.js';

/** How a settings field is edited, from its JSON Schema. */
export type FieldControl = 'select' | 'checkbox' | 'number' | 'lines' | 'text' | 'json';

/** One settings field: its name, control, choices, whether required, its help text. */
export interface FormField {
  name: string;
  control: FieldControl;
  choices: string[];
  required: boolean;
  description: string;
  defaultValue: unknown;
}

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
}

/** The fields of an object schema (a connector's settings or secrets), in the schema's order. */
export function formFields(schema: JsonSchema | undefined): FormField[] {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, prop]) => {
    const type = typeOf(prop);
    const control: FieldControl = prop.enum
      ? 'select'
      : type === 'boolean'
        ? 'checkbox'
        : type === 'number' || type === 'integer'
          ? 'number'
          : type === 'array' && typeOf(prop.items ?? {}) === 'string'
            ? 'lines'
            : type === 'string'
              ? 'text'
              : 'json';
    return {
      name,
      control,
      choices: (prop.enum ?? []).map(String),
      required: required.has(name) && prop.default === undefined,
      description: prop.description ?? '',
      defaultValue: prop.default,
    };
  });
}

/** A stored settings value as the form edits it (text for text fields, lines for lists, JSON for the rest). */
export function toFormValue(field: FormField, value: unknown): string | boolean {
  const v = value === undefined ? field.defaultValue : value;
  if (field.control === 'checkbox') return Boolean(v);
  if (v === undefined || v === null) return '';
  if (field.control === 'lines') return Array.isArray(v) ? v.join('\n') : '';
  if (field.control === 'json') return JSON.stringify(v, null, 2);
  return String(v);
}

/** The form's values as settings for the API; throws an Error naming the field when one cannot be read. */
export function toSettings(fields: FormField[], values: Record<string, string | boolean>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.control === 'checkbox') {
      settings[field.name] = Boolean(value);
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) continue;
    if (field.control === 'number') {
      const n = Number(text);
      if (Number.isNaN(n)) throw new Error(`${field.name}: "${text}" is not a number`);
      settings[field.name] = n;
    } else if (field.control === 'lines') {
      settings[field.name] = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    } else if (field.control === 'json') {
      try {
        settings[field.name] = JSON.parse(text);
      } catch {
        throw new Error(`${field.name}: not valid JSON`);
      }
    } else settings[field.name] = text;
  }
  return settings;
}
