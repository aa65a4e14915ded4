import type {
  CatalogResponse, FlinkAvailability, CheckpointInfo, DeadLetter, CheckpointMetrics, PipelineDocument, PipelineRecord, PipelineStatus, PipelineSummary, RestorePlan,
} from '@eddy/shared';
import { useAuth } from '../auth/auth-store';

export interface TemplateSummary { id: string; title: string; useCase: string; description: string }
export type DeployResult = PipelineStatus & { plan: RestorePlan };
export type DeployTarget = 'embedded' | 'flink';
export interface PlanResponse { next: RestorePlan; current: RestorePlan | null; running: boolean }
export interface CheckpointsResponse { checkpoints: CheckpointInfo[]; resumeFrom: number | null; metrics: CheckpointMetrics | null }

/** An error answered by the API (`{ error: { code, message, details } }`) or by the network. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the Eddy server: ${(err as Error).message}`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, 'bad_response', `The server answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) {
    const e = (json as { error?: { code: string; message: string; details?: unknown } })?.error;
    if (res.status === 401) useAuth.getState().needToken();
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.details);
  }
  return json as T;
}

export const api = {
  catalog: () => call<CatalogResponse>('GET', '/api/catalog'),
  list: () => call<{ pipelines: PipelineSummary[] }>('GET', '/api/pipelines').then((r) => r.pipelines),
  get: (id: string) => call<PipelineRecord>('GET', `/api/pipelines/${encodeURIComponent(id)}`),
  create: (doc: PipelineDocument) => call<PipelineRecord>('POST', '/api/pipelines', doc),
  save: (id: string, doc: PipelineDocument, revision: number) =>
    call<PipelineRecord>('PUT', `/api/pipelines/${encodeURIComponent(id)}`, doc, { 'if-match': String(revision) }),
  remove: (id: string) => call<void>('DELETE', `/api/pipelines/${encodeURIComponent(id)}`),
  deploy: (id: string, opts: { fresh?: boolean } = {}) =>
    call<DeployResult>('POST', `/api/pipelines/${encodeURIComponent(id)}/deploy`, opts.fresh ? { fresh: true } : undefined),
  /** Deploy target flink: one Flink job through the server's SQL Gateway. */
  deployOnFlink: (id: string) => call<PipelineStatus>('POST', `/api/pipelines/${encodeURIComponent(id)}/deploy`, { target: 'flink' }),
  flink: () => call<FlinkAvailability>('GET', '/api/flink'),
  savepoint: (id: string) => call<{ savepoint: CheckpointInfo; status: PipelineStatus }>('POST', `/api/pipelines/${encodeURIComponent(id)}/savepoint`),
  plan: (id: string) => call<PlanResponse>('GET', `/api/pipelines/${encodeURIComponent(id)}/plan`),
  checkpoints: (id: string) => call<CheckpointsResponse>('GET', `/api/pipelines/${encodeURIComponent(id)}/checkpoints`),
  nodeState: (id: string, nodeId: string, query: string) =>
    call<{ nodeId: string; keys: number; bytes: number; entries: [string, string, unknown][] }>('GET', `/api/pipelines/${encodeURIComponent(id)}/nodes/${encodeURIComponent(nodeId)}/state?${query}`),
  deadLetters: (id: string) => call<{ deadLetters: DeadLetter[]; total: number }>('GET', `/api/pipelines/${encodeURIComponent(id)}/dead-letters`),
  templates: () => call<{ templates: TemplateSummary[] }>('GET', '/api/templates').then((r) => r.templates),
  fromTemplate: (templateId: string) => call<PipelineRecord>('POST', `/api/templates/${encodeURIComponent(templateId)}`),
  restore: (id: string, checkpointId: number) => call<DeployResult>('POST', `/api/pipelines/${encodeURIComponent(id)}/restore`, { checkpointId }),
  stop: (id: string) => call<PipelineStatus>('POST', `/api/pipelines/${encodeURIComponent(id)}/stop`),
  status: (id: string) => call<PipelineStatus>('GET', `/api/pipelines/${encodeURIComponent(id)}/status`),
};
