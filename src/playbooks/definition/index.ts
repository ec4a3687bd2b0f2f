/** Playbook definitions: the authoring format (YAML or JSON) parsed, validated and walked. */
export { parsePlaybook, type DefinitionDraft, type ParseOptions, type ParseResult } from './definition-parse.js';
export { validatePlaybook, type ValidationHints } from './definition-validate.js';
export type { DefinitionCatalog } from './validate-actions.js';
export { walkSteps, stepBranches, type StepBranch, type StepContext } from './definition-walk.js';
export { childPath, formatPath, parsePath, type PathSegment } from './definition-paths.js';
export type { Problem } from './definition-problems.js';
export { DEFINITION_LIMITS } from './definition-schema.js';
export { DURATION_LIMITS, formatDuration, parseDuration } from './durations.js';
export type * from './definition-types.js';
