// The registry of channel kinds: one pure formatter per kind, like the normalizers. An
// unknown kind is an error naming the known ones.
import { CHANNEL_KINDS } from '@siem/contracts';
import type { ChannelKind } from '@siem/contracts';
import { formatEmail } from './formatters/email.ts';
import { formatMattermost } from './formatters/mattermost.ts';
import { formatSlack } from './formatters/slack.ts';
import { formatSyslog } from './formatters/syslog.ts';
import { formatTeams } from './formatters/teams.ts';
import { formatWebhook } from './formatters/webhook.ts';
import type { Formatter } from './types.ts';

const FORMATTERS: Record<ChannelKind, Formatter> = {
  webhook: formatWebhook,
  slack: formatSlack,
  teams: formatTeams,
  mattermost: formatMattermost,
  email: formatEmail,
  syslog: formatSyslog,
};

export function formatterFor(kind: string): Formatter {
  const f = (FORMATTERS as Record<string, Formatter | undefined>)[kind];
  if (!f) throw new Error(`unknown channel kind ${JSON.stringify(kind)}; known: ${CHANNEL_KINDS.join(', ')}`);
  return f;
}

export * from './types.ts';
export * from './template.ts';
export * from './routing.ts';
export * from './backoff.ts';
