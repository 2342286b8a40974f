-- A post made through a channel webhook is edited through that webhook:
-- the bot cannot edit it as itself. Empty for the bot's own messages.
ALTER TABLE deliveries ADD COLUMN webhook_id TEXT NOT NULL DEFAULT '';
-- Publishing a post in an announcement channel is a delivery of its own,
-- owed once per post and retried at Discord's crosspost rate limit.
CREATE UNIQUE INDEX deliveries_one_crosspost ON deliveries (story_id, channel_id) WHERE kind = 'crosspost';
