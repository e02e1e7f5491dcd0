// The JSON shape limits live with the contracts (the HTTP edge applies them to every body);
// the engine applies the same ones to ingested events and playbook events.
export { checkJsonShape, DEFAULT_SHAPE_LIMITS, MAX_SHAPE_ISSUES, type ShapeLimits } from '@siem/contracts';
