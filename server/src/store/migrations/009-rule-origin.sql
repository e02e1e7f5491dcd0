-- Where a rule came from: null for rules written here, {"kind": "sigma", "id": ..., ...} for
-- imported Sigma rules, so a re-import finds the rule by its Sigma id and updates it in place.
-- mitre_techniques keeps every ATT&CK technique of the rule (mitre_technique holds the first).
ALTER TABLE correlation_rules ADD COLUMN IF NOT EXISTS origin jsonb;
ALTER TABLE correlation_rules ADD COLUMN IF NOT EXISTS mitre_techniques jsonb NOT NULL DEFAULT '[]'::jsonb;
CREATE UNIQUE INDEX IF NOT EXISTS correlation_rules_sigma_id_idx ON correlation_rules ((origin ->> 'id'))
  WHERE origin ->> 'kind' = 'sigma' AND origin ->> 'id' IS NOT NULL;
