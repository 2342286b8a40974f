package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

// Several bot processes share one database (PostgreSQL) by claiming work
// before they do it. A claim is a lease: a row naming the process and the
// time until which the work is its own. A process renews its leases while
// it runs; one that dies stops renewing, and once its leases run out
// another process takes the work over. Two kinds of work are claimed:
//
//   - a poll, per feed and schedule tick: every process keeps the same
//     schedule, and the first to claim a tick polls the feed for it, so
//     each feed is polled once per tick however many processes run;
//   - a channel's deliveries: the process holding a channel sends its
//     pending deliveries in order, alone, so the channel's order and its
//     rate limit hold. After a takeover a delivery that was attempted is
//     resent with its nonce, or found in the channel (bot/reconcile.go),
//     as after a crash of the only process.
//
// Leases rather than row locks held for the length of the work: a poll
// can take seconds and a channel is served for as long as it has posts,
// and a transaction held open that long would pin a connection and keep
// the outbox's own writes out. FOR UPDATE SKIP LOCKED suits short jobs
// taken and finished in one transaction; these are not.

// Worker is one process's handle on the work it shares: a DB whose
// PendingPerChannel is that of the channels it holds.
type Worker struct {
	*DB
	owner       string
	lease       time.Duration
	maxChannels int
}

// Worker returns the handle of the process named owner (unique among the
// processes sharing the database), whose claims last lease unless
// renewed, and which holds at most maxChannels channels at once, so that
// other processes get theirs.
func (db *DB) Worker(owner string, lease time.Duration, maxChannels int) *Worker {
	return &Worker{DB: db, owner: owner, lease: lease, maxChannels: max(maxChannels, 1)}
}

// Owner is the name the worker claims work under.
func (w *Worker) Owner() string { return w.owner }

// Lease is how long the worker's claims last unless renewed.
func (w *Worker) Lease() time.Duration { return w.lease }

// PollClaim is the answer to a claim on a poll.
type PollClaim struct {
	Granted bool
	// Holder and RetryAt, when the claim is refused because another
	// process is still polling the feed: who, and when its lease ends,
	// at which the poll is claimed again in case it died.
	Holder  string
	RetryAt time.Time
}

// ClaimPoll claims the poll of key (a feed id) for the schedule tick. It
// is granted when no process has claimed that tick, or the one that did
// stopped renewing its lease without finishing. A tick after one already
// polled is new work; a poll still running for an earlier tick makes a
// later one wait for it, as polls of one feed never overlap.
func (w *Worker) ClaimPoll(ctx context.Context, key string, tick, now time.Time) (PollClaim, error) {
	res, err := w.w.ExecContext(ctx, `INSERT INTO poll_claims (feed_id, tick, owner, lease_until, done)
		VALUES (?1, ?2, ?3, ?4, 0)
		ON CONFLICT (feed_id) DO UPDATE SET tick = excluded.tick, owner = excluded.owner,
			lease_until = excluded.lease_until, done = 0
		WHERE (poll_claims.done = 1 AND poll_claims.tick < excluded.tick)
			OR (poll_claims.done = 0 AND poll_claims.lease_until <= ?5 AND poll_claims.tick <= excluded.tick)`,
		key, ms(tick), w.owner, ms(now.Add(w.lease)), ms(now))
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		return PollClaim{}, fmt.Errorf("store: claim the poll of %q for %s: %w", key, tick.Format(time.RFC3339), err)
	}
	if n > 0 {
		return PollClaim{Granted: true}, nil
	}
	var c PollClaim
	var done bool
	var until int64
	err = w.r.QueryRowContext(ctx, "SELECT owner, done, lease_until FROM poll_claims WHERE feed_id = ?", key).
		Scan(&c.Holder, &done, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return w.ClaimPoll(ctx, key, tick, now) // released meanwhile
	}
	if err != nil {
		return PollClaim{}, fmt.Errorf("store: read the claim on the poll of %q: %w", key, err)
	}
	if !done {
		c.RetryAt = fromMS(until)
	}
	return c, nil
}

// Claim and Done are ClaimPoll and FinishPoll on the process's clock: the
// scheduler's Claims.
func (w *Worker) Claim(ctx context.Context, key string, tick time.Time) (bool, time.Time, error) {
	c, err := w.ClaimPoll(ctx, key, tick, time.Now())
	return c.Granted, c.RetryAt, err
}

func (w *Worker) Done(ctx context.Context, key string, tick time.Time) error {
	return w.FinishPoll(ctx, key, tick)
}

// FinishPoll records that the worker's poll of key for tick is done: no
// process polls that tick again.
func (w *Worker) FinishPoll(ctx context.Context, key string, tick time.Time) error {
	_, err := w.w.ExecContext(ctx, "UPDATE poll_claims SET done = 1 WHERE feed_id = ? AND tick = ? AND owner = ?",
		key, ms(tick), w.owner)
	if err != nil {
		return fmt.Errorf("store: finish the poll of %q for %s: %w", key, tick.Format(time.RFC3339), err)
	}
	return nil
}

// Renew extends every lease the worker holds to now plus its lease, and
// reports how many channels it holds.
func (w *Worker) Renew(ctx context.Context, now time.Time) (channels int, err error) {
	until := ms(now.Add(w.lease))
	err = w.write(ctx, func(tx boundTx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE poll_claims SET lease_until = ? WHERE owner = ? AND done = 0", until, w.owner); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE channel_claims SET lease_until = ? WHERE owner = ?", until, w.owner)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		channels = int(n)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: renew the claims of %s: %w", w.owner, err)
	}
	return channels, nil
}

// Release gives up every claim the worker holds, for a process that stops
// cleanly: its channels and unfinished polls are free at once, not when
// their leases end.
func (w *Worker) Release(ctx context.Context) error {
	err := w.write(ctx, func(tx boundTx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE poll_claims SET lease_until = 0 WHERE owner = ? AND done = 0", w.owner); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM channel_claims WHERE owner = ?", w.owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: release the claims of %s: %w", w.owner, err)
	}
	return nil
}

// claimChannels renews the worker's channels, lets go of those with
// nothing pending, and claims free channels with deliveries due, oldest
// first: its share of the channels with work, split evenly among the
// processes at work (those holding a live claim), and never more than
// maxChannels. An even share keeps every process sending, and a process
// that dies leaves only its share to take over.
func (w *Worker) claimChannels(ctx context.Context, now time.Time) error {
	held, err := w.Renew(ctx, now)
	if err != nil {
		return err
	}
	res, err := w.w.ExecContext(ctx, `DELETE FROM channel_claims WHERE owner = ? AND NOT EXISTS
		(SELECT 1 FROM deliveries d WHERE d.channel_id = channel_claims.channel_id AND d.state = 'pending')`, w.owner)
	var idle int64
	if err == nil {
		idle, err = res.RowsAffected()
	}
	if err != nil {
		return fmt.Errorf("store: release idle channels of %s: %w", w.owner, err)
	}
	// Channels just let go of are no part of the share: counted, they
	// would keep the worker from taking a dead process's channels.
	held -= int(idle)
	var live, due int
	var self bool
	err = w.r.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(DISTINCT owner) FROM (SELECT owner FROM poll_claims WHERE lease_until > ?1
			UNION SELECT owner FROM channel_claims WHERE lease_until > ?1) AS o),
		(SELECT COUNT(*) > 0 FROM (SELECT owner FROM poll_claims WHERE owner = ?2 AND lease_until > ?1
			UNION SELECT owner FROM channel_claims WHERE owner = ?2 AND lease_until > ?1) AS me),
		(SELECT COUNT(DISTINCT channel_id) FROM deliveries WHERE state = 'pending' AND not_before <= ?1)`,
		ms(now), w.owner).Scan(&live, &self, &due)
	if err != nil {
		return fmt.Errorf("store: count the work shared with %s: %w", w.owner, err)
	}
	if !self {
		live++
	}
	share := min(w.maxChannels, max((due+live-1)/live, 1))
	if held >= share {
		return nil
	}
	_, err = w.w.ExecContext(ctx, `INSERT INTO channel_claims (channel_id, owner, lease_until)
		SELECT channel_id, ?1, ?2 FROM (SELECT d.channel_id FROM deliveries d
			WHERE d.state = 'pending' AND d.not_before <= ?3
			AND NOT EXISTS (SELECT 1 FROM channel_claims c WHERE c.channel_id = d.channel_id AND c.lease_until > ?3)
			GROUP BY d.channel_id ORDER BY MIN(d.id) LIMIT ?4) AS free
		WHERE true
		ON CONFLICT (channel_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
		WHERE channel_claims.lease_until <= ?3`,
		w.owner, ms(now.Add(w.lease)), ms(now), share-held)
	if err != nil {
		return fmt.Errorf("store: claim channels for %s: %w", w.owner, err)
	}
	return nil
}

// Channels lists the channels the worker holds now.
func (w *Worker) Channels(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := w.r.QueryContext(ctx, "SELECT channel_id FROM channel_claims WHERE owner = ? AND lease_until > ? ORDER BY channel_id",
		w.owner, ms(now))
	if err != nil {
		return nil, fmt.Errorf("store: channels of %s: %w", w.owner, err)
	}
	return scanKeys(rows)
}

// Held lists the claims the worker holds, run out or not: the channels,
// and the keys of polls not finished (feed ids, and "comments:" and a
// feed id for comment refreshes). A process that died holds its claims
// until others take them over.
func (w *Worker) Held(ctx context.Context) (channels, polls []string, err error) {
	if channels, err = w.keys(ctx, "SELECT channel_id FROM channel_claims WHERE owner = ? ORDER BY channel_id"); err != nil {
		return nil, nil, err
	}
	if polls, err = w.keys(ctx, "SELECT feed_id FROM poll_claims WHERE owner = ? AND done = 0 ORDER BY feed_id"); err != nil {
		return nil, nil, err
	}
	return channels, polls, nil
}

func (w *Worker) keys(ctx context.Context, query string) ([]string, error) {
	rows, err := w.r.QueryContext(ctx, query, w.owner)
	if err != nil {
		return nil, fmt.Errorf("store: claims of %s: %w", w.owner, err)
	}
	return scanKeys(rows)
}

// scanKeys reads rows of one string column.
func scanKeys(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// PendingPerChannel claims channels (claimChannels) and returns the
// deliveries due at now in the channels the worker holds, as
// DB.PendingPerChannel does for all of them: the outbox's read.
func (w *Worker) PendingPerChannel(ctx context.Context, now time.Time, perChannel, limit int) ([]news.Delivery, error) {
	now = orNow(now)
	if err := w.claimChannels(ctx, now); err != nil {
		return nil, err
	}
	return w.pendingPerChannel(ctx, now, perChannel, limit, w.owner)
}

// ReserveRate takes the next turn of a rate that every process shares:
// name allows one request per interval, and burst of them at once after a
// quiet spell. It returns when the caller may go (now, or later when the
// rate is spent). This is GCRA, the generic cell rate algorithm: one
// shared time, the theoretical arrival of the next request, moved on by
// interval per request, so a turn costs one statement.
func (db *DB) ReserveRate(ctx context.Context, name string, interval time.Duration, burst int, now time.Time) (time.Time, error) {
	// Rounded up to the clock's millisecond: never faster than asked.
	step := max((interval + time.Millisecond - 1).Milliseconds(), 1)
	tolerance := step * int64(max(burst, 1)-1)
	t := ms(orNow(now))
	var next int64
	err := db.w.QueryRowContext(ctx, `INSERT INTO shared_clocks (name, value) VALUES (?1, CAST(?2 AS BIGINT) + CAST(?3 AS BIGINT))
		ON CONFLICT (name) DO UPDATE SET value =
			CASE WHEN shared_clocks.value > ?2 THEN shared_clocks.value ELSE ?2 END + ?3
		RETURNING value`, name, t, step).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: reserve a turn of %q: %w", name, err)
	}
	return fromMS(max(t, next-step-tolerance)), nil
}

// BumpGeneration counts one more change of name (the config, reloaded by
// one process) and returns the new count.
func (db *DB) BumpGeneration(ctx context.Context, name string) (int64, error) {
	var v int64
	err := db.w.QueryRowContext(ctx, `INSERT INTO shared_clocks (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = shared_clocks.value + 1 RETURNING value`, name).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: count a change of %q: %w", name, err)
	}
	return v, nil
}

// Generation is how many changes of name were counted; 0 when none.
func (db *DB) Generation(ctx context.Context, name string) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, "SELECT value FROM shared_clocks WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: read the count of %q: %w", name, err)
	}
	return v, nil
}
