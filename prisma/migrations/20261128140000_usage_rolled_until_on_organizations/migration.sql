-- The usage explorer's rollup watermark moves onto the organization's own row: one value per
-- organization needs no table of its own (and a table holding one row per organization does
-- not fit the rule that a tenant may add rows to its tables). Every local day before
-- usage_rolled_until is final in usage_daily; NULL: nothing closed yet.
ALTER TABLE organizations ADD COLUMN usage_rolled_until date;
UPDATE organizations o SET usage_rolled_until = w.rolled_until FROM usage_rollup_watermarks w WHERE w.organization_id = o.id;
DROP TABLE usage_rollup_watermarks;
