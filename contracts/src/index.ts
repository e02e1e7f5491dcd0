export * from './common.ts';
export * from './logs.ts';
export * from './dashboard.ts';
export * from './auth.ts';
export * from './rules.ts';
export * from './alerts.ts';
export * from './scenarios.ts';
export * from './json-shape.ts';
