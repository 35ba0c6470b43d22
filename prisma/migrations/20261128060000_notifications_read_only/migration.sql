-- A user may mark their own notifications read, and change nothing else: with a table-wide
-- UPDATE grant, the own-row policy let them re-attribute a notification to any organization.
REVOKE UPDATE ON notifications FROM aihub_app;
GRANT UPDATE (read_at) ON notifications TO aihub_app;
