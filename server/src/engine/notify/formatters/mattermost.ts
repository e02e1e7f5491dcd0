// Mattermost incoming webhook: `text` (Markdown), with the channel and user name overrides
// when the channel sets them.
import type { Formatter } from '../types.ts';

export const formatMattermost: Formatter = ({ text, config }) => {
  const body: Record<string, string> = { text };
  if (typeof config.channel === 'string' && config.channel !== '') body.channel = config.channel;
  if (typeof config.username === 'string' && config.username !== '') body.username = config.username;
  return { transport: 'http', contentType: 'application/json', body: JSON.stringify(body) };
};
