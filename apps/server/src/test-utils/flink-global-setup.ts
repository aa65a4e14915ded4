// Vitest global set-up: names this run (EDDY_TEST_RUN) so that the one shared local Flink that a
// test file may start (shared-flink.ts) is stopped after the run — and only if this run started it.
import { stopSharedFlinkOfRun } from './shared-flink.js';

export default function setup(): () => Promise<void> {
  const runId = `${process.pid}-${Date.now()}`;
  process.env.EDDY_TEST_RUN = runId;
  return () => stopSharedFlinkOfRun(runId);
}
