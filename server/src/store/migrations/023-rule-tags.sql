-- Rule tags: lower-case labels (threat-intel, pci, attack.t1110) that group rules and route
-- alert notifications to the channels that name one of them. Existing rules get none.
ALTER TABLE correlation_rules ADD COLUMN IF NOT EXISTS tags text[] NOT NULL DEFAULT '{}';
-- The shipped threat-intel match rule is tagged from this release on: an installed copy gets
-- the tag too, so a later "restore shipped rules" finds nothing to reset.
UPDATE correlation_rules SET tags = '{threat-intel}' WHERE builtin_key = 'builtin.network.threat-intel-match' AND tags = '{}';
