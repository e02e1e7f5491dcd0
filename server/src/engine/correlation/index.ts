// Correlation: EngineEvent in, Firing out. Rules come compiled from ../rules; state lives
// per (rule, group) in the runtimes and is bounded by eviction; time is event time only.
export { createCorrelationEngine, replayRule, type CorrelationEngine, type CorrelationEngineOptions, type EngineStats } from './engine.ts';
export { toEngineEvent, type EngineEvent, type EngineEventInput } from './event.ts';
export type { EngineLimits, Firing } from './types.ts';
export { CORRELATION_PARTITIONS, partitionName, partitionOf } from './partition.ts';
