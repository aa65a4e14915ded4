// `npm start`: install what is missing, build, and serve Eddy (HOST, PORT, EDDY_DATA, EDDY_TOKEN
// honoured; `npm start -- --token generate` passes arguments on).
import { build, ensureInstalled, root, run } from './setup.mjs';

ensureInstalled();
build();
process.exitCode = run('node', ['apps/server/dist/main.js', ...process.argv.slice(2)], { cwd: root, allowFailure: true });
