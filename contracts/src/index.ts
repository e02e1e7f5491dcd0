export * from './common.ts';
export * from './logs.ts';
export * from './dashboard.ts';
