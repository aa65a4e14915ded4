import { test as base, expect } from '@playwright/test';

/**
 * The suite's `test`: fails any test whose page throws (`pageerror`) or logs a console error.
 * A test that provokes an error on purpose (a 401, a 409) names it with
 * `test.use({ allowedErrors: [/status of 401/] })`.
 */
export const test = base.extend<{ allowedErrors: RegExp[]; pageErrors: void }>({
  allowedErrors: [[], { option: true }],
  pageErrors: [async ({ page, allowedErrors }, use) => {
    const errors: string[] = [];
    const keep = (text: string) => { if (!allowedErrors.some((re) => re.test(text))) errors.push(text); };
    page.on('pageerror', (err) => keep(`page error: ${err.stack ?? err.message}`));
    page.on('console', (msg) => { if (msg.type() === 'error') keep(`console error: ${msg.text()} (${msg.location().url})`); });
    await use();
    expect(errors, 'errors on the page').toEqual([]);
  }, { auto: true }],
});

export { expect };
export type { Page, Locator, APIRequestContext } from '@playwright/test';
