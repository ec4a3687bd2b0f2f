/** Live updates for the web UI: the activity log fanned out as server-sent events. */
export { createLiveFeed, type LiveFeed, type LiveEvent } from './live-feed.js';
export { registerLiveRoutes } from './live-routes.js';
