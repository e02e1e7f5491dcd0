// What the Elasticsearch-compatible listener says about itself: the root document the
// shippers read the version from, the licence, features, health and node answers they
// check before sending, and the error body in Elasticsearch's shape. A one-node cluster
// of 8.x with a basic licence and security off is the least surprising thing to claim:
// Beats, Logstash, Vector, Fluent Bit and rsyslog all proceed against it.

export const ES_VERSION = '8.17.0';
const LUCENE_VERSION = '9.12.0';
const BUILD_HASH = 'siem-shipper-listener';
const BUILD_DATE = '2024-12-11T12:08:05.663969764Z';
export const CLUSTER_NAME = 'siem';
const NODE_NAME = 'siem-intake';

export interface Identity {
  clusterUuid: string;
  nodeId: string;
  /** host:port the listener is reached at (node sniffing reads it). */
  publishAddress: string;
}

export function rootDocument(id: Identity) {
  return {
    name: NODE_NAME,
    cluster_name: CLUSTER_NAME,
    cluster_uuid: id.clusterUuid,
    version: {
      number: ES_VERSION,
      build_flavor: 'default',
      build_type: 'tar',
      build_hash: BUILD_HASH,
      build_date: BUILD_DATE,
      build_snapshot: false,
      lucene_version: LUCENE_VERSION,
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

export function licenseBody(id: Identity) {
  return {
    license: {
      status: 'active',
      uid: id.clusterUuid,
      type: 'basic',
      issue_date: '2024-01-01T00:00:00.000Z',
      issue_date_in_millis: 1_704_067_200_000,
      max_nodes: 1000,
      max_resource_units: null,
      issued_to: CLUSTER_NAME,
      issuer: 'elasticsearch',
      start_date_in_millis: -1,
    },
  };
}

export function xpackBody(id: Identity) {
  const feature = (enabled: boolean) => ({ available: true, enabled });
  return {
    build: { hash: BUILD_HASH, date: BUILD_DATE },
    license: { uid: id.clusterUuid, type: 'basic', mode: 'basic', status: 'active' },
    features: {
      ilm: feature(true),
      data_streams: feature(true),
      security: feature(false),
      monitoring: feature(false),
      ml: { available: false, enabled: false },
      watcher: { available: false, enabled: false },
    },
    tagline: 'You know, for X',
  };
}

export function clusterHealthBody() {
  return {
    cluster_name: CLUSTER_NAME,
    status: 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: 1,
    active_shards: 1,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100.0,
  };
}

/** `_cat/health` in its text form (or JSON with `?format=json`). */
export function catHealth(nowMs: number, json: boolean): unknown {
  const epoch = Math.floor(nowMs / 1000);
  const time = new Date(nowMs).toISOString().slice(11, 19);
  const row = { epoch: String(epoch), timestamp: time, cluster: CLUSTER_NAME, status: 'green', 'node.total': '1', 'node.data': '1', shards: '1', pri: '1', relo: '0', init: '0', unassign: '0', pending_tasks: '0', max_task_wait_time: '-', active_shards_percent: '100.0%' };
  return json ? [row] : `${Object.values(row).join(' ')}\n`;
}

export function nodesBody(id: Identity) {
  const [host] = id.publishAddress.split(/:(?=\d+$)/);
  return {
    _nodes: { total: 1, successful: 1, failed: 0 },
    cluster_name: CLUSTER_NAME,
    nodes: {
      [id.nodeId]: {
        name: NODE_NAME,
        transport_address: id.publishAddress,
        host,
        ip: host,
        version: ES_VERSION,
        build_flavor: 'default',
        build_type: 'tar',
        build_hash: BUILD_HASH,
        roles: ['data', 'ingest', 'master'],
        attributes: {},
        http: { bound_address: [id.publishAddress], publish_address: id.publishAddress, max_content_length_in_bytes: 104_857_600 },
      },
    },
  };
}

/** Elasticsearch's error body: `{error: {root_cause, type, reason}, status}`. */
export function esError(status: number, type: string, reason: string, extra: Record<string, unknown> = {}) {
  const cause = { type, reason, ...extra };
  return { error: { root_cause: [cause], ...cause }, status };
}
