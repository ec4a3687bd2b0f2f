/** The web UI: the single-page app built by Vite, served by the API server at `/`. */
export { registerWebUi, WEB_BUILD_DIR } from './web-ui-routes.js';
