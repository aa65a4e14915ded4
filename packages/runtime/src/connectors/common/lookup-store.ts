import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';

type LookupParams = ParamsOf<'lookup'>;

/**
 * A table outside the process (Redis, Postgres): asked once per batch for the keys it has
 * not answered recently. `fetch` returns the rows found, keyed by keyString of the key.
 */
export interface RemoteStore {
  open(): Promise<void>;
  fetch(keys: unknown[]): Promise<Map<string, Rec>>;
  close(): Promise<void>;
}

/**
 * Where the lookup operator's tables come from, one per `store` (the registry wires the
 * connectors in, so the operator knows none of them): `memory` loads the whole table, by
 * keyString of its key column; a remote store is asked per batch.
 */
export interface LookupStores {
  memory(params: LookupParams, baseDir: string, fileRoots?: readonly string[]): Promise<Map<string, Rec>>;
  remote: { [S in Exclude<LookupParams['store'], 'memory'>]: (params: LookupParams, nodeId: string) => RemoteStore };
}
