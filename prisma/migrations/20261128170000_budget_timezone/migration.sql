-- A change of the organization's time zone applies to budget periods from the next period: the
-- period running at the change keeps the zone it started in (budget_timezone) until it ends
-- (budget_timezone_until, its end in that zone); after that the organization's timezone counts.
ALTER TABLE organizations
  ADD COLUMN budget_timezone text,
  ADD COLUMN budget_timezone_until timestamptz(6),
  ADD CONSTRAINT organizations_budget_timezone_pair CHECK ((budget_timezone IS NULL) = (budget_timezone_until IS NULL));
