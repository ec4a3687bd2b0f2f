/** Limits enforced on input; error messages quote them. Sentinel's own limits where it has one. */
export const LIMITS = {
  alertsPerBatch: 1_000,
  alertsPerIncident: 150,
  entitiesPerAlert: 500,
  alertRawBytes: 256 * 1024,
  requestBodyBytes: 64 * 1024 * 1024,
  titleLength: 1_000,
  descriptionLength: 20_000,
  commentLength: 30_000,
  commentsPerIncident: 100,
  tagsPerIncident: 100,
  tagLength: 256,
  customDetailKeys: 100,
  customDetailValues: 100,
  bulkIncidents: 1_000,
  pageSize: 500,
} as const;
