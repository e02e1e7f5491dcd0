// Slack incoming webhook: `text` (the fallback every client shows) plus a section block.
// Slack reads <, > and & as markup, so they are escaped.
import type { Formatter } from '../types.ts';

const SECTION_MAX = 3000;

export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const formatSlack: Formatter = ({ alert, text }) => ({
  transport: 'http',
  contentType: 'application/json',
  body: JSON.stringify({
    text: slackEscape(text),
    blocks: [
      // Slack refuses a section text over 3,000 characters (the whole message would fail).
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(text).slice(0, SECTION_MAX) } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: slackEscape(`severity ${alert.severity} · rule ${alert.rule_name}`) }],
      },
    ],
  }),
});
