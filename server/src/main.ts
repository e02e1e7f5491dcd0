// Composition root: load configuration, build the system, listen; on SIGINT/SIGTERM stop
// accepting requests, flush pending batches, close the bus and the store. A failure
// while booting is fatal and says what to fix.
import dotenv from 'dotenv';
import { ConfigError, loadConfig } from './config.ts';
import { isAppError } from './errors.ts';
import { createLogger } from './logger.ts';
import { createSystem } from './system.ts';

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  if (config.INGEST_API_KEYS.length === 0) {
    log.warn('INGEST_API_KEYS is not set: anyone who can reach the server can ingest events. Set it to require an ingest key.');
  }
  let system;
  try {
    system = await createSystem(config, log, { defaultMetrics: true, preloadGeoIp: true });
  } catch (err) {
    log.fatal({ err }, isAppError(err) ? err.message : 'startup failed');
    process.exit(1);
  }
  const { app, stop } = system;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await app.listen({ host: config.HOST, port: config.PORT });
  } catch (err) {
    log.fatal({ err }, `cannot listen on ${config.HOST}:${config.PORT}`);
    await stop();
    process.exit(1);
  }
  log.info(`SIEM listening on http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST}:${config.PORT} (API docs at /docs)`);
}

void main();
