// `npm start`: install what is missing, build, and serve Eddy (HOST, PORT, EDDY_DATA honoured).
import { build, ensureInstalled, root, run } from './setup.mjs';

ensureInstalled();
build();
process.exitCode = run('node', ['apps/server/dist/main.js'], { cwd: root, allowFailure: true });
