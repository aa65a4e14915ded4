import { loadOnce } from '../common/load-once.js';

/** nats.js, loaded when a NATS node first connects. */
export const natsLibrary = loadOnce(() => import('nats'));
