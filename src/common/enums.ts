import { z } from 'zod';

/**
 * The enumerations of Sentinel's and Defender's incident model (shared/sentinel/model.md §1),
 * shared by the API, the CLI and the web UI.
 */

export const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severitySchema = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });

/** Higher is more severe; used to sort and to raise an incident's severity with its alerts. */
export const SEVERITY_RANK: Record<Severity, number> = { Informational: 1, Low: 2, Medium: 3, High: 4 };

/** The most severe of the given severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

export const INCIDENT_STATUSES = ['New', 'Active', 'Closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES, {
  error: `must be one of ${INCIDENT_STATUSES.join(', ')}`,
});

export const ALERT_STATUSES = ['New', 'InProgress', 'Resolved', 'Dismissed', 'Unknown'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const alertStatusSchema = z.enum(ALERT_STATUSES, { error: `must be one of ${ALERT_STATUSES.join(', ')}` });

export const CLASSIFICATIONS = ['Undetermined', 'TruePositive', 'BenignPositive', 'FalsePositive'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const classificationSchema = z.enum(CLASSIFICATIONS, {
  error: `must be one of ${CLASSIFICATIONS.join(', ')}`,
});

export const CLASSIFICATION_REASONS = [
  'SuspiciousActivity',
  'SuspiciousButExpected',
  'IncorrectAlertLogic',
  'InaccurateData',
] as const;
export type ClassificationReason = (typeof CLASSIFICATION_REASONS)[number];
export const classificationReasonSchema = z.enum(CLASSIFICATION_REASONS, {
  error: `must be one of ${CLASSIFICATION_REASONS.join(', ')}`,
});

/** Which reasons go with which classification, as in Sentinel's "ClassificationAndReason" choices. */
export const REASONS_BY_CLASSIFICATION: Record<Classification, readonly ClassificationReason[]> = {
  Undetermined: [],
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
};

/** Defender's threat or activity type, recorded with a classification (Microsoft Graph's alertDetermination). */
export const DETERMINATIONS = [
  'MultiStagedAttack',
  'MaliciousUserActivity',
  'CompromisedAccount',
  'Malware',
  'Phishing',
  'UnwantedSoftware',
  'Apt',
  'SecurityTesting',
  'LineOfBusinessApplication',
  'ConfirmedUserActivity',
  'SecurityPersonnel',
  'NotMalicious',
  'NotEnoughDataToValidate',
  'Other',
] as const;
export type Determination = (typeof DETERMINATIONS)[number];
export const determinationSchema = z.enum(DETERMINATIONS, { error: `must be one of ${DETERMINATIONS.join(', ')}` });

/** Which determinations go with which classification (Defender's Classification drop-down). */
export const DETERMINATIONS_BY_CLASSIFICATION: Record<Classification, readonly Determination[]> = {
  Undetermined: ['Other'],
  TruePositive: [
    'MultiStagedAttack',
    'MaliciousUserActivity',
    'CompromisedAccount',
    'Malware',
    'Phishing',
    'UnwantedSoftware',
    'Apt',
    'Other',
  ],
  BenignPositive: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedUserActivity', 'SecurityPersonnel', 'Other'],
  FalsePositive: ['NotMalicious', 'NotEnoughDataToValidate', 'Other'],
};

export const TACTICS = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'Exfiltration',
  'CommandAndControl',
  'Impact',
  'PreAttack',
  'ImpairProcessControl',
  'InhibitResponseFunction',
] as const;
export type Tactic = (typeof TACTICS)[number];
export const tacticSchema = z.enum(TACTICS, { error: `must be one of ${TACTICS.join(', ')}` });

/** A MITRE ATT&CK technique id such as T1078 or T1566.001. */
export const techniqueSchema = z
  .string()
  .regex(/^T\d{4}(\.\d{3})?$/, 'must be a MITRE ATT&CK technique id such as T1078 or T1566.001');
