-- The send queue stays as fast for the last of 100,000 recipients as for the first.
-- Claiming takes the earliest due rows in index order, so the scan stops at the batch size
-- instead of sorting every queued row of the send on each pass.
DROP INDEX email_recipients_due;
CREATE INDEX email_recipients_due ON email_recipients (status, next_attempt_at, id);
-- "Is anyone of this send still queued or sending?" (asked after every batch) and the
-- per-state counts of a send's progress find their rows without reading the sent ones.
CREATE INDEX email_recipients_send_status ON email_recipients (send_id, status);
