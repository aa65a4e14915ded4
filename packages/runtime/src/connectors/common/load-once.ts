/**
 * A client library loaded on first use, once per thread: a job's thread pays the import of
 * kafkajs, ioredis, mqtt, nats or pg only if its pipeline has a node that needs it.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}
