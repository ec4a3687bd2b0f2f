/** Workspaces: the tenants that hold every incident, alert, rule and playbook; their members and roles. */
export { createWorkspaceService, type WorkspaceService } from './workspace-service.js';
export { createMemberService, type MemberService } from './member-service.js';
export { registerWorkspaceRoutes } from './workspace-routes.js';
export { DEFAULT_WORKSPACE_ID, findWorkspace, findWorkspaces, type WorkspaceRecord } from './workspace-repository.js';
