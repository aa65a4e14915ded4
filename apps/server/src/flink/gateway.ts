/**
 * A small client of Flink's SQL Gateway REST endpoint (API v3): a session, statements run one
 * by one, each an operation polled until it ends. The job id of a statement set comes back in
 * its result.
 */
export class FlinkGatewayError extends Error {
  constructor(message: string, readonly statement?: string, readonly unreachable = false) {
    super(message);
    this.name = 'FlinkGatewayError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ResultPage {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  jobID?: string;
  results?: { columns: { name: string }[]; data: { kind: string; fields: unknown[] }[] };
  nextResultUri?: string;
}

export class FlinkGateway {
  private session: string | null = null;

  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url.replace(/\/$/, '')}${path}`, {
        method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new FlinkGatewayError(`The Flink SQL Gateway at ${this.url} does not answer (${(err as Error).message}): start one with 'eddy flink start' or give --gateway`, undefined, true);
    }
    const text = await res.text();
    if (!res.ok) {
      // The gateway answers { errors: [summary, stack trace] }; the root cause is the last "Caused by".
      let detail = text;
      try {
        const errors = (JSON.parse(text) as { errors?: string[] }).errors ?? [];
        detail = errors.map(rootCause).filter(Boolean).join('\n') || text;
      } catch { /* not JSON: keep the text */ }
      throw new FlinkGatewayError(detail);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  async open(name: string, properties: Record<string, string> = {}): Promise<void> {
    const r = await this.call<{ sessionHandle: string }>('POST', '/v3/sessions', { sessionName: name, properties });
    this.session = r.sessionHandle;
  }

  /** The REST URL of the cluster the gateway submits to, from the session's configuration (rest.address, rest.port). */
  async clusterRestUrl(): Promise<string | undefined> {
    if (!this.session) throw new Error('open() first');
    const r = await this.call<{ properties?: Record<string, string> }>('GET', `/v3/sessions/${this.session}`);
    const address = r.properties?.['rest.address'];
    return address ? `http://${address}:${r.properties?.['rest.port'] ?? '8081'}` : undefined;
  }

  async close(): Promise<void> {
    if (!this.session) return;
    const s = this.session;
    this.session = null;
    await this.call('DELETE', `/v3/sessions/${s}`).catch(() => {});
  }

  /** Runs one statement to its end; returns the job id it started, if any, and its rows. */
  async execute(statement: string): Promise<{ jobId?: string; rows: unknown[][] }> {
    if (!this.session) throw new Error('open() first');
    const base = `/v3/sessions/${this.session}`;
    const { operationHandle } = await this.call<{ operationHandle: string }>('POST', `${base}/statements`, { statement });
    const op = `${base}/operations/${operationHandle}`;
    for (;;) {
      const { status } = await this.call<{ status: string }>('GET', `${op}/status`);
      if (status === 'FINISHED' || status === 'ERROR') break;
      if (status === 'CANCELED' || status === 'CLOSED' || status === 'TIMEOUT') throw new FlinkGatewayError(`The statement ended ${status}`, statement);
      await sleep(200);
    }
    const rows: unknown[][] = [];
    let jobId: string | undefined;
    let next: string | undefined = `${op}/result/0?rowFormat=JSON`;
    while (next) {
      let page: ResultPage;
      try {
        page = await this.call<ResultPage>('GET', next);
      } catch (err) {
        if (err instanceof FlinkGatewayError) throw new FlinkGatewayError(err.message, statement, err.unreachable);
        throw err;
      }
      if (page.resultType === 'NOT_READY') { await sleep(200); continue; }
      jobId ??= page.jobID;
      for (const r of page.results?.data ?? []) rows.push(r.fields);
      next = page.resultType === 'EOS' ? undefined : page.nextResultUri;
    }
    return { jobId, rows };
  }
}

/** The most telling line of a Java error text: the last "Caused by:" or the first line. */
function rootCause(text: string): string {
  const causes = [...text.matchAll(/Caused by: ([^\n]+)/g)].map((m) => m[1]);
  return (causes.at(-1) ?? text.split('\n')[0]).trim();
}
