import { Navigate, type RouteObject } from 'react-router-dom';
import { TaskReportPage } from './TaskReportPage.js';

/** Report screens under /w/:workspace/reports. */
export const reportRoutes: RouteObject[] = [
  { path: 'reports', element: <Navigate to="tasks" replace /> },
  { path: 'reports/tasks', element: <TaskReportPage /> },
];
