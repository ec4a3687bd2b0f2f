/** Entities: Sentinel's entity kinds, normalization of the shapes sources send, de-duplication per incident. */
export { createEntityService, type EntityService } from './entity-service.js';
export { registerEntityRoutes } from './entity-routes.js';
export { ENTITY_KINDS, type EntityKind, entityIdentity, resolveEntityKind } from './entity-kinds.js';
export { normalizeEntities, type NormalizedEntity } from './entity-normalize.js';
