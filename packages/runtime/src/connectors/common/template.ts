import { TEMPLATE_FIELD } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';

/**
 * `alerts.{device_id}` → a function of the record. A missing value becomes `_`; `clean`
 * makes a value safe for the target (a NATS subject token has no dots or spaces).
 */
export function recordTemplate(template: string, clean: (v: string) => string = (v) => v): (r: Rec) => string {
  // The catalog's own pattern, so validation and writing agree on what a placeholder is.
  const parts = template.split(new RegExp(TEMPLATE_FIELD.source));
  if (parts.length === 1) return () => template;
  return (r) => parts.map((p, i) => (i % 2 === 0 ? p : clean(String(r[p] ?? '_')) || '_')).join('');
}
