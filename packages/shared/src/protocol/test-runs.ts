/** One sink's difference in a test case run (at most a few rows of each, with the full counts). */
export interface SinkDiffSummary {
  sink: string;
  missingCount: number;
  unexpectedCount: number;
  missing: Record<string, unknown>[];
  unexpected: Record<string, unknown>[];
}

/** `POST /api/pipelines/:id/tests/run`: each stored case, passed or with what differs per sink. */
export interface TestRunResult {
  cases: { name: string; passed: boolean; rows: number; diffs: SinkDiffSummary[] }[];
}

/** `POST /api/pipelines/:id/tests/record`: the case stored, in numbers, and the new revision. */
export interface TestRecordResult {
  name: string;
  inputs: Record<string, number>;
  expected: Record<string, number>;
  warnings: string[];
  revision: number;
}
