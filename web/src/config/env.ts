// Build-time settings. The API base defaults to `/api`: the server answers
// /api/v1 itself, so the same build works behind nginx or straight from the server.
export const API_BASE: string = (import.meta.env.VITE_API_URL as string | undefined)?.replace(/\/$/, '') ?? '/api';

/** Polling fallbacks: live feeds patch the cache, these only catch what a feed missed. */
export const POLL = {
  dashboardMs: 30_000,
  listsMs: 30_000,
  scenariosActiveMs: 1_500,
  scenariosIdleMs: 10_000,
  sourcesMs: 5_000,
  clusterMs: 3_000,
} as const;
