import type { RouteObject } from 'react-router-dom';
import { AnalyticsRuleEditorPage } from './AnalyticsRuleEditor.js';
import { AnalyticsRulesPage } from './AnalyticsRulesPage.js';
import { RuleEditorPage } from './RuleEditorPage.js';
import { RuleListPage } from './RuleListPage.js';
import { SettingsLayout } from '../settings/SettingsLayout.js';

/** Automation rule screens and the analytics rules settings screen, under /w/:workspace. */
export const automationRoutes: RouteObject[] = [
  { path: 'automation', element: <RuleListPage /> },
  { path: 'automation/new', element: <RuleEditorPage /> },
  { path: 'automation/:rule', element: <RuleEditorPage /> },
  {
    // Analytics rules are a Settings tab: they sit in the settings frame (title and tab bar).
    element: <SettingsLayout />,
    children: [
      { path: 'settings/analytics-rules', element: <AnalyticsRulesPage /> },
      { path: 'settings/analytics-rules/:rule', element: <AnalyticsRuleEditorPage /> },
    ],
  },
];
