/** The table of incident exports (conventions in schema.ts). */

export interface IncidentExportsTable {
  workspace_id: string;
  id: string;
  incident_id: string;
  incident_number: number;
  /** JSON list of the sections included, in document order. */
  sections: string;
  /** Fingerprint of the incident's data when requested; a request with the same one may reuse this export. */
  data_version: string;
  /** pending | ready | failed */
  status: string;
  error: string | null;
  /** JSON actor who asked for it. */
  requested_by: string;
  /** How many times a generator claimed it (a render that keeps crashing its process is given up). */
  attempts: number;
  /** Until when the generator that claimed it owns it; a lapsed lease lets another pick it up. */
  lease_until: number | null;
  /** The rendered file (SQLite blob, PostgreSQL bytea); null until ready. */
  content: Buffer | null;
  size_bytes: number | null;
  page_count: number | null;
  created_at: number;
  completed_at: number | null;
  expires_at: number;
}

/** The export tables, merged into the Database type. */
export interface ExportTables {
  incident_exports: IncidentExportsTable;
}
