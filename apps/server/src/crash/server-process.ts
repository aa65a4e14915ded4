// Test helper: the real server as a child process (node apps/server/dist/main.js), to kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as netServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  readonly url: string;
  log = '';

  /** `env`: extra environment for the server (e.g. EDDY_JOB_MEMORY_MB). */
  constructor(private readonly dataDir: string, private readonly port: number, private readonly env: Record<string, string> = {}) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts the server and resolves once it prints its URL. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', EDDY_DATA: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.log += d.toString();
        if (this.log.includes('Eddy is running at')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => { this.log += d.toString(); });
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before it started:\n${this.log.slice(-2000)}`)));
    });
  }

  /** kill -9: no shutdown handler runs, nothing is flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async api(path: string, json?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.url + path, json === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}

/** A small seeded generator (mulberry32) for kill moments. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits until the pipeline finishes after its kills (90 s at most); a failure throws with the server's log. */
export async function untilFinished(server: ServerProcess, id: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const status = (await server.api(`/api/pipelines/${id}/status`)).body;
    if (status.state === 'finished') return;
    if (status.state === 'failed' || Date.now() > deadline) throw new Error(`pipeline ended ${status.state}: ${status.error}\n${server.log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
