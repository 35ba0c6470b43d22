-- Mail bodies hold live single-use links (password reset, verification, invitation). Delivered
-- mail keeps only its metadata, and rows older than the retention period are deleted by the
-- delivery loop, which runs as the app role.
UPDATE email_outbox SET body_text = '' WHERE sent_at IS NOT NULL OR attempts >= 5;

GRANT DELETE ON email_outbox TO aihub_app;
