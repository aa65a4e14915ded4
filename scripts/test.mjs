// `npm test`: every test, unit to e2e in real Chromium, then one summary line
// `N passed, N failed[, N skipped]` summed over vitest and Playwright.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureInstalled, root, run } from './setup.mjs';

const CHROMIUM = '/usr/bin/chromium';
// The /metrics test lints a live exposition with promtool (Debian's prometheus package).
const PROMTOOL = '/usr/bin/promtool';

let aptUpdated = false;
function aptInstall(pkg) {
  console.error(`• Installing ${pkg} from Debian (apt-get install ${pkg})…`);
  const asRoot = process.getuid?.() === 0;
  const apt = (...args) => (asRoot ? ['apt-get', args] : ['sudo', ['apt-get', ...args]]);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) run(...apt('update'), { allowFailure: true, env });
  aptUpdated = true;
  run(...apt('install', '-y', '--no-install-recommends', pkg), { env });
}

ensureInstalled();
if (!existsSync(CHROMIUM)) aptInstall('chromium');
if (!existsSync(PROMTOOL)) aptInstall('prometheus');
build();

const out = join(root, '.test-out');
mkdirSync(out, { recursive: true });
const vitestJson = join(out, 'vitest.json');
const playwrightJson = join(out, 'playwright.json');

const onlyUnit = process.argv.includes('--unit');
// Lint enforces the layering and the no-eval rule; a lint error fails the run like a test.
const lintStatus = spawnSync('npx', ['eslint', '.'], { cwd: root, stdio: 'inherit' }).status;
const vitestStatus = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  { cwd: root, stdio: 'inherit' }).status;
const playwrightStatus = onlyUnit ? 0 : spawnSync('npx', ['playwright', 'test', '--reporter=list,json'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson } }).status;

// The bench's quick mode: every workload's answer equal across Eddy and the peers (no timings).
const quickStatus = onlyUnit ? 0 : spawnSync('node', ['bench/dist/run.js', '--quick'], { cwd: root, stdio: 'inherit' }).status;

let passed = 0, failed = 0, skipped = 0;
const read = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null);
const v = read(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A suite that fails to load has no tests to count: count it as a failure.
  failed += (v.testResults ?? []).filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
} else failed++;
if (!onlyUnit) {
  const p = read(playwrightJson);
  if (p) {
    passed += p.stats.expected + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected;
    skipped += p.stats.skipped;
  } else failed++;
}
if (lintStatus !== 0) failed++;
if (!onlyUnit) {
  const q = read(join(root, 'bench/results/quick.json'));
  if (q && quickStatus === 0) passed += q.workloads;
  else failed += Math.max(1, q?.mismatches?.length ?? 1);
}
const ok = lintStatus === 0 && quickStatus === 0 && vitestStatus === 0 && playwrightStatus === 0 && failed === 0;
if (!ok && failed === 0) failed = 1; // a runner failed without a failing test (crash, config): never report green
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
