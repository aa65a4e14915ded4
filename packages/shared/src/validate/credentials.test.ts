import { describe, expect, it } from 'vitest';
import { validatePipeline } from './validate.js';
import { inlineCredential } from './credentials.js';
import { translateToFlinkSql } from '../flink/index.js';

const gen = { id: 'gen', kind: 'source.generator', params: { scenario: 'iot' } };
const withSink = (sink: object) => ({ format: 'eddy/pipeline@1', name: 'c', nodes: [gen, { id: 'out', ...sink }], edges: [{ from: 'gen', to: 'out' }] });

describe('credentials never sit in a document', () => {
  it.each([
    ['sink.postgres', { url: 'postgres://eddy:hunter2@db:5432/shop', table: 't' }, 'url'],
    ['sink.postgres', { url: 'postgres://db:5432/shop?password=hunter2', table: 't' }, 'url'],
    ['sink.redis', { url: 'redis://:hunter2@127.0.0.1:6379', key: 'k:{device_id}' }, 'url'],
    ['sink.nats', { url: 'nats://user:hunter2@127.0.0.1:4222', subject: 's' }, 'url'],
    ['sink.mqtt', { url: 'mqtt://u:hunter2@127.0.0.1:1883', topic: 't' }, 'url'],
    ['sink.kafka', { brokers: 'k1:9092,user:hunter2@k2:9092', topic: 't' }, 'brokers'],
    ['sink.webhook', { url: 'https://hooks.example/x?token=hunter2' }, 'url'],
  ])('%s %j is refused with the way to use a secret', (kind, params, param) => {
    const r = validatePipeline(withSink({ kind, params }));
    expect(r.ok).toBe(false);
    const issue = r.errors.find((e) => e.code === 'credentials_in_url');
    expect(issue).toMatchObject({ nodeId: 'out', path: `nodes[1].params.${param}` });
    expect(issue!.message).toContain(`{ "secret": "OUT_${param.toUpperCase()}" }`);
    expect(issue!.message).toContain(`EDDY_SECRET_OUT_${param.toUpperCase()}`);
    expect(issue!.message).not.toContain('hunter2');
  });

  it('a user name without a password, and a secret reference, are fine', () => {
    expect(inlineCredential('postgres://eddy@db:5432/shop')).toBeNull();
    expect(inlineCredential('127.0.0.1:9092,k2:9092')).toBeNull();
    expect(validatePipeline(withSink({ kind: 'sink.postgres', params: { url: { secret: 'PG_URL' }, table: 't' } })).ok).toBe(true);
  });

  it('the Flink SQL export writes ${secret:NAME} placeholders and says so', () => {
    const r = validatePipeline({
      format: 'eddy/pipeline@1', name: 'f',
      nodes: [
        { id: 'src', kind: 'source.kafka', params: { brokers: { secret: 'KAFKA' }, topic: 'in', fields: [{ name: 'a', type: 'number' }] } },
        { id: 'out', kind: 'sink.postgres', params: { url: { secret: 'PG_URL' }, table: 't', mode: 'upsert', key: ['a'] } },
      ],
      edges: [{ from: 'src', to: 'out' }],
    });
    const flink = translateToFlinkSql(r.document!);
    expect(flink.ok).toBe(true);
    expect(flink.sql).toContain("'properties.bootstrap.servers' = '${secret:KAFKA}'");
    expect(flink.sql).toContain("'url' = '${secret:PG_URL}'");
    expect(flink.sql).toContain("'password' = '${secret:PG_URL_PASSWORD}'");
    expect(flink.notes.map((n) => n.message).join('\n')).toContain('replace the ${secret:…} placeholders');
  });
});
