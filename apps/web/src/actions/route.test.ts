import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './route';

describe('pipeline addresses', () => {
  it('reads /p/<id>, /new and anything else as the start', () => {
    expect(parseRoute('/p/abc_12')).toEqual({ kind: 'pipeline', id: 'abc_12' });
    expect(parseRoute('/p/a%20b/')).toEqual({ kind: 'pipeline', id: 'a b' });
    expect(parseRoute('/new')).toEqual({ kind: 'new' });
    expect(parseRoute('/')).toEqual({ kind: 'home' });
    expect(parseRoute('/p/%E0%A4%A')).toEqual({ kind: 'home' });
  });
  it('writes what it reads', () => {
    expect(parseRoute(routePath('x/y z'))).toEqual({ kind: 'pipeline', id: 'x/y z' });
    expect(routePath(null)).toBe('/new');
  });
});
