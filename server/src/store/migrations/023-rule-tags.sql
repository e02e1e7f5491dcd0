-- Rule tags: lower-case labels (threat-intel, pci, attack.t1110) that group rules and route
-- alert notifications to the channels that name one of them. Existing rules get none.
ALTER TABLE correlation_rules ADD COLUMN IF NOT EXISTS tags text[] NOT NULL DEFAULT '{}';
