// Lint guards the architecture (DESIGN §1): web → shared; server → runtime → shared; the
// runtime knows no HTTP; the server knows no operator internals. And no user text runs as code.
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const noCodeFromText = {
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
};

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths }],
});

// Connectors (runtime/src/connectors/<name>/) import core, checkpoint, state, time and
// connectors/common, never another connector or an operator: the registry wires them together.
const connectors = readdirSync(new URL('./packages/runtime/src/connectors/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory()).map((d) => d.name);
const connectorOwnLane = (name) => ({
  group: [...connectors.filter((other) => other !== name && other !== 'common').map((other) => `../${other}/**`),
    '**/operators/**', '**/registry.js', ...(name === 'common' ? [] : ['**/connectors/**'])],
  message: `connectors/${name} imports no other connector, no operator and not the registry (shared pieces go to connectors/common).`,
});

const nodeVm = [{ group: ['node:vm', 'vm'], message: 'Never run user text as code: parse and compile expressions to closures.' }];
// Module names as exact paths (a pattern 'http' would also forbid the connectors/http folder).
const httpMessage = 'The runtime knows nothing of HTTP or sockets.';
const httpModules = ['express', 'socket.io', 'node:http', 'http', 'node:https', 'https'].map((name) => ({ name, message: httpMessage }));
const http = { group: ['express/*', 'socket.io/*', '@eddy/server', '**/apps/server/**'], message: httpMessage };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', '.test-out/**', 'data/**', '**/*.generated.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { ...noCodeFromText },
  },
  {
    files: ['packages/shared/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeVm,
      { group: ['node:*', '@eddy/runtime', '@eddy/server', '**/packages/runtime/**', '**/apps/**'],
        message: 'shared is pure TypeScript for browser and Node: no Node modules, no runtime or server code.' }]),
  },
  {
    files: ['packages/runtime/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeVm, http], httpModules),
  },
  {
    // The engine's core is given its operators and connectors (the registry): it imports none.
    files: ['packages/runtime/src/core/**/*.ts', 'packages/runtime/src/checkpoint/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeVm, http, { group: ['**/connectors/**', '**/operators/**', '**/registry.js'],
      message: 'core and checkpoint import no connector, operator or registry: the job is given its factories (api.ts passes src/registry.ts).' }], httpModules),
  },
  // One block per connector folder (a later no-restricted-imports replaces an earlier one, so each repeats the runtime's rules).
  ...connectors.map((name) => ({
    files: [`packages/runtime/src/connectors/${name}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeVm, http, connectorOwnLane(name)], httpModules),
  })),
  {
    // Runtime tests may stand up a local HTTP endpoint for a connector (e.g. a slow webhook).
    files: ['packages/runtime/src/**/*.test.ts'],
    rules: restrict([...nodeVm, { group: ['express', 'socket.io', '@eddy/server', '**/apps/server/**'], message: 'Runtime tests do not use the server.' }]),
  },
  {
    files: ['apps/server/src/**/*.ts'],
    rules: restrict([...nodeVm,
      { group: ['@eddy/runtime/*', '**/packages/runtime/**'],
        message: 'The server uses only the runtime\'s public API (import from @eddy/runtime).' }]),
  },
  {
    // jobs/* and store/* throw domain errors; only http/ knows statuses (http/errors.ts maps them).
    files: ['apps/server/src/jobs/**/*.ts', 'apps/server/src/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([...nodeVm,
      { group: ['@eddy/runtime/*', '**/packages/runtime/**'], message: 'The server uses only the runtime\'s public API (import from @eddy/runtime).' },
      { group: ['express', 'socket.io', 'node:http', '**/http/*'], message: 'jobs and store know no HTTP: throw a domain error (domain-errors.ts).' }]),
  },
  {
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    rules: restrict([...nodeVm,
      { group: ['@eddy/runtime', '@eddy/runtime/*', '@eddy/server', '@eddy/server/*', '**/packages/runtime/**', '**/apps/server/**', 'node:*'],
        message: 'The web app imports only @eddy/shared.' }]),
  },
);
