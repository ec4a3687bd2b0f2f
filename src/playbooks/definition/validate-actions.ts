import type { z } from 'zod';
import type { ActionDefinition, ConnectorDefinition } from '../../connectors/action.js';
import { containsExpression } from '../expressions/index.js';
import type { ActionStep, PlaybookDefinition } from './definition-types.js';
import { childPath } from './definition-paths.js';
import { didYouMean, type Problem } from './definition-problems.js';
import { authorErrors, issueProblems } from './definition-schema.js';
import { parsePath } from './definition-paths.js';

/** What validation needs to know about actions: the catalog of the server (or a test's fake one). */
export interface DefinitionCatalog {
  action(id: string): ActionDefinition | undefined;
  connector(id: string): ConnectorDefinition | undefined;
  /** Every connector, for "did you mean" on unknown actions (optional). */
  connectors?(): ConnectorDefinition[];
}

type Shape = Record<string, z.ZodType>;

/** The fields of an action's input schema when it is a zod object (possibly refined or piped). */
export function inputShape(schema: z.ZodType): Shape | undefined {
  const candidate = schema as unknown as { shape?: unknown; _zod?: { def?: { in?: z.ZodType } } };
  if (typeof candidate.shape === 'object' && candidate.shape !== null) return candidate.shape as Shape;
  const inner = candidate._zod?.def?.in;
  return inner ? inputShape(inner) : undefined;
}

function knownActionIds(step: ActionStep, catalog: DefinitionCatalog): string[] {
  const connectors = catalog.connectors?.() ?? [catalog.connector(step.uses.split('.')[0]!)].filter((c) => c !== undefined);
  return connectors.flatMap((connector) => connector.actions.map((action) => action.id));
}

function inputProblems(step: ActionStep, path: string, action: ActionDefinition): Problem[] {
  const shape = inputShape(action.input);
  if (!shape) return [];
  const problems: Problem[] = [];
  const withPath = childPath(path, 'with');
  const names = Object.keys(shape);
  for (const [key, value] of Object.entries(step.with)) {
    const field = shape[key];
    if (!field) {
      problems.push({
        path: childPath(withPath, key),
        message: `${step.uses} has no input "${key}"${didYouMean(key, names)}; its inputs are ${names.join(', ') || 'none'}`,
      });
    } else if (!containsExpression(value)) {
      const result = field.safeParse(value, { error: authorErrors, reportInput: true });
      if (!result.success) problems.push(...issueProblems(result.error.issues, parsePath(childPath(withPath, key))));
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in step.with) && !field.safeParse(undefined).success) {
      problems.push({ path: withPath, message: `${step.uses} needs the input "${key}"` });
    }
  }
  return problems;
}

/** Problems of an action step: unknown action, inputs its schema does not take or that do not fit, connection. */
export function actionProblems(
  step: ActionStep,
  path: string,
  definition: PlaybookDefinition,
  catalog: DefinitionCatalog,
  unknownConnections: boolean,
): Problem[] {
  const action = catalog.action(step.uses);
  if (!action) {
    return [
      {
        path: childPath(path, 'uses'),
        message: `there is no action "${step.uses}"${didYouMean(step.uses, knownActionIds(step, catalog))}`,
      },
    ];
  }
  const problems = inputProblems(step, path, action);
  const connector = catalog.connector(step.uses.split('.')[0]!);
  const aliases = Object.keys(definition.connections);
  if (step.connection !== undefined) {
    if (connector?.connection === 'none') {
      problems.push({ path: childPath(path, 'connection'), message: `${step.uses} takes no connection` });
    } else if (!unknownConnections && !(step.connection in definition.connections)) {
      problems.push({
        path: childPath(path, 'connection'),
        message: `the connection "${step.connection}" is not declared under connections${didYouMean(step.connection, aliases)}`,
      });
    }
  } else if (connector?.connection === 'required') {
    const example = aliases.length > 0 ? aliases.join(', ') : 'an alias declared under connections';
    problems.push({ path, message: `${step.uses} needs a connection: add connection: with one of ${example}` });
  }
  return problems;
}
