// Microsoft Teams: an Adaptive Card in a "message" envelope, the format both the classic
// incoming webhooks and the Workflows webhooks accept.
import type { Formatter } from '../types.ts';

const COLOR: Record<string, string> = { critical: 'Attention', high: 'Attention', medium: 'Warning', low: 'Accent', info: 'Default' };

export const formatTeams: Formatter = ({ alert, text }) => ({
  transport: 'http',
  contentType: 'application/json',
  body: JSON.stringify({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: alert.title, weight: 'Bolder', size: 'Medium', wrap: true, color: COLOR[alert.severity] ?? 'Default' },
            { type: 'TextBlock', text, wrap: true },
            {
              type: 'FactSet',
              facts: [
                { title: 'Severity', value: alert.severity },
                { title: 'Rule', value: alert.rule_name },
                { title: 'Group', value: alert.group_value ?? '-' },
              ],
            },
          ],
          ...(alert.url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open alert', url: alert.url }] } : {}),
        },
      },
    ],
  }),
});
