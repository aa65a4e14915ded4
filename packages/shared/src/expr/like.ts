/**
 * SQL LIKE without backtracking blow-up: `%` is any text, `_` one code point, everything
 * else itself (no escape character, as SQL without ESCAPE). A regular expression with
 * `.*` per `%` backtracks exponentially on patterns such as '%%%%%%%%!'; this matcher
 * keeps one backtrack point (the last `%`), the classic wildcard algorithm, so it takes at
 * most pattern × text steps and usually about text steps.
 */
export type LikeMatcher = (text: string) => boolean;

const ANY = -1; // %
const ONE = -2; // _

/** Width in UTF-16 units of the code point at i (a lone surrogate counts as one code point). */
const widthAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
};

export function likeMatcher(pattern: string): LikeMatcher {
  // Tokens: ANY, ONE or a code point; runs of % collapse into one.
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length;) {
    const cp = pattern.codePointAt(i)!;
    const w = widthAt(pattern, i);
    i += w;
    if (cp === 0x25) { if (tokens[tokens.length - 1] !== ANY) tokens.push(ANY); }
    else if (cp === 0x5f) tokens.push(ONE);
    else tokens.push(w === 2 ? cp : pattern.charCodeAt(i - 1));
  }
  if (!tokens.some((t) => t < 0)) return (text) => text === pattern;
  const m = tokens.length;
  return (text) => {
    const n = text.length;
    let i = 0; // position in text (UTF-16 index, always at a code point boundary)
    let j = 0; // position in tokens
    let starJ = -1; // the last % seen, and where in the text its match ends so far
    let starI = 0;
    while (i < n) {
      const t = j < m ? tokens[j] : 0;
      if (j < m && t === ANY) {
        starJ = j++;
        starI = i;
        continue;
      }
      const w = widthAt(text, i);
      if (j < m && (t === ONE || t === (w === 2 ? text.codePointAt(i) : text.charCodeAt(i)))) {
        i += w;
        j++;
      } else if (starJ >= 0) {
        // Let the last % take one more code point and retry the rest from there.
        starI += widthAt(text, starI);
        i = starI;
        j = starJ + 1;
      } else return false;
    }
    while (j < m && tokens[j] === ANY) j++;
    return j === m;
  };
}
