// Measures what decoding only the fields a pipeline reads would save against JSON.parse of the
// whole line (issue 15: "the JSON decode of input lines dominates"). A top-level scanner that
// skips unread values (strings, nested objects/arrays by bracket depth) and parses only the
// wanted ones, on the bench's own input files. CPU per line, one thread; not part of `npm test`.
// Usage: node bench/field-decode.mjs <file.jsonl> <field,field,...>
import { readFileSync } from 'node:fs';

const [file, fieldList] = process.argv.slice(2);
const wanted = new Set(fieldList.split(','));
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 200_000);

/** End (exclusive) of the JSON value starting at i. */
function valueEnd(s, i) {
  const c = s.charCodeAt(i);
  if (c === 34) { // string: the next quote not escaped (indexOf runs natively)
    let j = s.indexOf('"', i + 1);
    while (j > 0) {
      let k = j - 1, slashes = 0;
      while (s.charCodeAt(k) === 92) { slashes++; k--; }
      if (slashes % 2 === 0) return j + 1;
      j = s.indexOf('"', j + 1);
    }
    return s.length;
  }
  if (c === 123 || c === 91) { // object / array: depth, strings skipped
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 34) { j = valueEnd(s, j) - 1; continue; }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) { if (--depth === 0) return j + 1; }
    }
    return s.length;
  }
  let j = i;
  while (j < s.length) { const d = s.charCodeAt(j); if (d === 44 || d === 125 || d === 32) break; j++; }
  return j;
}

function decodeSome(s) {
  const out = {};
  let i = s.indexOf('{') + 1;
  while (i < s.length) {
    while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 44) i++;
    if (s.charCodeAt(i) !== 34) break;
    const keyEnd = valueEnd(s, i);
    const key = s.indexOf('\\', i) >= 0 && s.indexOf('\\', i) < keyEnd ? JSON.parse(s.slice(i, keyEnd)) : s.slice(i + 1, keyEnd - 1);
    i = keyEnd;
    while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 58) i++;
    const end = valueEnd(s, i);
    if (wanted.has(key)) {
      const c = s.charCodeAt(i);
      out[key] = c === 34 && s.indexOf('\\', i) === -1 || (c === 34 && s.indexOf('\\', i) >= end) ? s.slice(i + 1, end - 1)
        : (c >= 48 && c <= 57) || c === 45 ? Number(s.slice(i, end)) : JSON.parse(s.slice(i, end));
    }
    i = end;
  }
  return out;
}

// Same answers first (on the wanted fields).
for (const l of lines.slice(0, 5000)) {
  const a = JSON.parse(l); const b = decodeSome(l);
  for (const f of wanted) if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) throw new Error(`differs on ${f}: ${l}`);
}
function time(fn) {
  let sink = 0;
  for (let rep = 0; rep < 2; rep++) for (const l of lines) sink += Object.keys(fn(l)).length; // warm-up
  const best = [];
  for (let rep = 0; rep < 5; rep++) {
    const t0 = process.cpuUsage();
    for (const l of lines) sink += Object.keys(fn(l)).length;
    const c = process.cpuUsage(t0);
    best.push(((c.user + c.system) * 1000) / lines.length);
  }
  best.sort((a, b) => a - b);
  return { nsPerLine: Math.round(best[2]), sink };
}
const full = time((l) => JSON.parse(l));
const some = time(decodeSome);
console.log(JSON.stringify({ file: file.split('/').pop(), fields: [...wanted], lines: lines.length, avgBytes: Math.round(lines.reduce((n, l) => n + l.length, 0) / lines.length),
  jsonParseNs: full.nsPerLine, selectiveNs: some.nsPerLine, selectiveOverFull: +(some.nsPerLine / full.nsPerLine).toFixed(2) }));
