-- Deliveries go out in order per channel: finding a channel's earlier
-- pending delivery must not scan the outbox.
CREATE INDEX deliveries_channel_pending ON deliveries (channel_id, state, id);
