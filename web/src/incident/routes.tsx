import type { RouteObject } from 'react-router-dom';
import { IncidentPage } from './IncidentPage.js';

/** The incident page under /w/:workspace. */
export const incidentRoutes: RouteObject[] = [{ path: 'incidents/:number', element: <IncidentPage /> }];
