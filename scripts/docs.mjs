// `npm run docs`: regenerates docs/nodes.md from the catalog (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, run } from './setup.mjs';

run('npx', ['tsc', '-b', 'packages/shared']);
const { kinds, renderNodeReference } = await import(join(root, 'packages/shared/dist/index.js'));
writeFileSync(join(root, 'docs/nodes.md'), renderNodeReference(kinds));
console.error('wrote docs/nodes.md');
