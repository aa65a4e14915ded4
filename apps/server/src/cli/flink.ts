import { localFlinkStatus, startLocalFlink, stopLocalFlink } from '../local/flink.js';
import { dataDirOf, UsageError, type Verb } from './common.js';

const port = (name: string, v: string | boolean | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--${name} must be a port number, not '${String(v)}'`);
  return n;
};

export const flinkVerb: Verb = {
  summary: 'start, stop or inspect a local Flink cluster with a SQL Gateway',
  help: `Usage: eddy flink start|stop|status [options]
  start    starts a Flink session cluster (JobManager with the Web UI, one TaskManager) and a SQL Gateway
           on 127.0.0.1 in the background; the first start fetches Flink's jars with Maven (Java 17 and
           Maven needed); prints both URLs. Config, logs and pid files: <data>/flink
  stop     stops them
  status   what runs, with the cluster's task managers, slots and running jobs
  --data <dir>           the data folder (default EDDY_DATA or ./data)
  --rest-port <n>        the Web UI / REST port (default 8081)
  --gateway-port <n>     the SQL Gateway's REST port (default 8083)
  --rpc-port <n>         the JobManager's RPC port (default 6123)
  --slots <n>            task slots of the TaskManager (default 2)`,
  options: { data: { type: 'string' }, 'rest-port': { type: 'string' }, 'gateway-port': { type: 'string' }, 'rpc-port': { type: 'string' }, slots: { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'start, stop or status' },
  async run([action], values, io) {
    const dataDir = dataDirOf(values);
    if (action === 'start') {
      const slots = port('slots', values.slots);
      const urls = await startLocalFlink({ dataDir, restPort: port('rest-port', values['rest-port']), gatewayPort: port('gateway-port', values['gateway-port']),
        rpcPort: port('rpc-port', values['rpc-port']), slots, progress: io.err }).catch((err: Error) => err);
      if (urls instanceof Error) {
        io.err(`eddy: the local Flink did not start: ${urls.message}`);
        return 1;
      }
      io.out(`Flink Web UI:     ${urls.webUrl}`);
      io.out(`Flink SQL Gateway: ${urls.gatewayUrl}`);
      io.out(`Run a pipeline on it: eddy run <pipeline.json> --on flink`);
      return 0;
    }
    if (action === 'stop') {
      const stopped = await stopLocalFlink(dataDir);
      io.out(stopped.length ? `Stopped ${stopped.join(', ')}` : 'The local Flink was not running');
      return 0;
    }
    if (action === 'status') {
      const s = await localFlinkStatus(dataDir);
      for (const r of s.running) io.out(`${r.name.padEnd(12)} ${r.pid === null ? 'not running' : `running (pid ${r.pid})`}`);
      if (s.overview) io.out(`Flink ${s.overview['flink-version']} at ${s.urls!.webUrl}: ${s.overview.taskmanagers} task manager(s), ${s.overview['slots-total']} slots, ${s.overview['jobs-running']} job(s) running`);
      if (s.urls) io.out(`SQL Gateway at ${s.urls.gatewayUrl}: ${s.gatewayUp ? 'answering' : 'not answering'}`);
      return s.running.every((r) => r.pid !== null) && s.gatewayUp ? 0 : 1;
    }
    throw new UsageError(`eddy flink start, stop or status, not '${action}'`);
  },
};
