import { loadOnce } from '../common/load-once.js';

/** mqtt.js, loaded when an MQTT node first connects. */
export const mqttLibrary = loadOnce(async () => (await import('mqtt')).default);
