/** Comments on incidents. */
export { createCommentService, type CommentService } from './comment-service.js';
export { registerCommentRoutes } from './comment-routes.js';
