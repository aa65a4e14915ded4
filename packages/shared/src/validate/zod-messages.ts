import type { z } from 'zod';

/**
 * zod's own words ("Too big: expected string to have <=200 characters", "Invalid option:
 * expected one of …") said plainly, in one place. A message a schema wrote itself (a
 * regex's or a refine's) is kept as written.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  const name = issue.path.length ? `'${String(issue.path[issue.path.length - 1])}'` : 'The value';
  const num = (n: unknown) => (typeof n === 'bigint' || typeof n === 'number' ? Number(n).toLocaleString('en-US') : String(n));
  const own = !/^(Too big|Too small|Invalid input|Invalid option|Invalid string|Unrecognized key|Invalid number|Invalid)\b/.test(issue.message);
  if (own && issue.code !== 'invalid_union') return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = String(i.expected);
      if (/received undefined$/.test(issue.message)) return `${name} is required (a ${expected})`;
      if (expected === 'int') return `${name} must be a whole number`;
      const received = i.received === 'Infinity' || i.received === 'NaN' ? String(i.received) : /received (\w+)$/.exec(issue.message)?.[1];
      return `${name} must be a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}${received ? `, not ${received}` : ''}`;
    }
    case 'too_big': {
      const bound = `${i.inclusive ? 'at most' : 'less than'} ${num(i.maximum)}`;
      if (i.origin === 'string') return `${name} has ${bound} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `${name} has ${bound} items`;
      return `${name} must be ${bound}`;
    }
    case 'too_small': {
      if (i.origin === 'string') return Number(i.minimum) === 1 ? `${name} must not be empty` : `${name} needs at least ${num(i.minimum)} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `${name} needs at least ${num(i.minimum)} item${Number(i.minimum) === 1 ? '' : 's'}`;
      return `${name} must be ${i.inclusive ? 'at least' : 'more than'} ${num(i.minimum)}`;
    }
    case 'invalid_value': {
      const values = (i.values as unknown[]).map((v) => JSON.stringify(v));
      return values.length === 1 ? `${name} must be ${values[0]}` : `${name} must be one of ${values.join(', ')}`;
    }
    case 'unrecognized_keys': {
      const keys = (i.keys as string[]).map((k) => `'${k}'`);
      return `Unknown key${keys.length === 1 ? '' : 's'} ${keys.join(', ')}${issue.path.length ? ` in ${name}` : ''}`;
    }
    case 'invalid_union': {
      // The alternative the value was meant for (its type matched) says what is wrong with it.
      const meant = (i.errors as z.core.$ZodIssue[][]).find((errs) => errs.length && !errs.every((e) => e.code === 'invalid_type' && !e.path.length));
      return meant ? issueMessage({ ...meant[0], path: [...issue.path, ...meant[0].path] } as z.core.$ZodIssue) : `${name} is not a valid value`;
    }
    case 'invalid_format': return `${name} does not have the expected form${i.pattern ? ` (${String(i.pattern)})` : ''}`;
    case 'not_multiple_of': return `${name} must be a multiple of ${num(i.divisor)}`;
    default: return issue.message;
  }
}
