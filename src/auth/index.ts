/** Authentication (sessions, API tokens), roles and the per-route access check. */
export { createAuthService, type AuthService, type Principal } from './auth-service.js';
export { installAccessHook } from './access-hook.js';
export { registerAuthRoutes } from './auth-routes.js';
export { bootstrap, type BootstrapReport } from './bootstrap.js';
export { requirePermission, ROLES, type Access, type Role, type Permission } from './permissions.js';
