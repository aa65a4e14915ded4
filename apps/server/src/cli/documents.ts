import { dirname, resolve } from 'node:path';
import { checkFilePaths, checkModels } from '@eddy/runtime';
import { writeFileSync } from 'node:fs';
import { translateToFlinkSql, validatePipeline } from '@eddy/shared';
import { formatIssue, oneOf, readDocument, type Verb } from './common.js';

export const validateVerb: Verb = {
  summary: 'check a pipeline, print its errors',
  help: `Usage: eddy validate <pipeline.json>
  Checks the document and prints each error with its node id and path (exit 1), or 'ok' (exit 0).`,
  options: {},
  positionals: { min: 1, max: 1, what: 'a pipeline file' },
  async run([file], _values, io) {
    const doc = readDocument(file, io);
    if (doc === undefined) return 2;
    const validated = validatePipeline(doc);
    // Files resolve against the pipeline file's folder, as `eddy run` resolves them.
    const policy = { baseDir: dirname(resolve(file)) };
    const refused = validated.document ? [...checkFilePaths(validated.document, policy), ...await checkModels(validated.document, policy)] : [];
    const result = { ...validated, ok: validated.ok && !refused.length, errors: [...validated.errors, ...refused] };
    if (result.ok) {
      io.out(`ok: ${file} is a valid pipeline (${result.document!.nodes.length} nodes, ${result.document!.edges.length} edges)`);
      return 0;
    }
    for (const e of result.errors) io.out(formatIssue(e));
    io.err(`eddy: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in ${file}`);
    return 1;
  },
};

export const exportVerb: Verb = {
  summary: 'export a pipeline as JSON or a Flink SQL script',
  help: `Usage: eddy export <pipeline.json> [--to json|flink-sql] [--out <file>]
  --to json|flink-sql   the normalised document (default), or the Flink SQL script; untranslatable
                        nodes are listed on stderr (exit 1), notes on how Flink differs too
  --out <file>          write there instead of stdout`,
  options: { to: { type: 'string' }, out: { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'a pipeline file' },
  async run([file], values, io) {
    const to = oneOf('to', values.to, ['json', 'flink-sql'] as const, 'json');
    const doc = readDocument(file, io);
    if (doc === undefined) return 2;
    const result = validatePipeline(doc);
    if (!result.ok) {
      for (const e of result.errors) io.err(formatIssue(e));
      return 1;
    }
    let text = JSON.stringify(result.document, null, 2);
    if (to === 'flink-sql') {
      const flink = translateToFlinkSql(result.document);
      if (!flink.ok) {
        for (const p of flink.problems) io.err(`${p.nodeId ? `[${p.nodeId}] ` : ''}not translatable: ${p.message}`);
        io.err(`eddy: ${file} cannot run on Flink SQL as it is (${flink.problems.length} node${flink.problems.length === 1 ? '' : 's'})`);
        return 1;
      }
      for (const n of flink.notes) io.err(`[${n.nodeId}] note: ${n.message}`);
      text = flink.sql.trimEnd();
    }
    if (typeof values.out === 'string') writeFileSync(values.out, text + '\n');
    else io.out(text);
    return 0;
  },
};
