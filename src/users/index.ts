/** Users and groups: local accounts, managed by server administrators; owners of incidents. */
export { createUserService, toUserView, type UserService } from './user-service.js';
export { createGroupService, type GroupService } from './group-service.js';
export { registerUserRoutes } from './user-routes.js';
export { passwordSchema } from './user-schemas.js';
export { describeOwners, ownerKey, resolveOwner, type Owner, type OwnerRef } from './owner.js';
