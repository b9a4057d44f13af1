package sqlstore

import (
	"context"
	"sync"
	"time"

	"github.com/artistgraph/artistgraph/domain"
)

// feedBuffer is how many changes a subscriber may fall behind by before it
// misses some: a slow websocket must not hold up the others.
const feedBuffer = 256

// feed hands committed changes to subscribers. It reads them from the
// history, so it sees the edits of every process that shares the file, and
// it reads only while someone listens.
type feed struct {
	db        *DB
	mu        sync.Mutex
	subs      map[chan domain.Change]struct{}
	last      int64 // the last change handed out
	running   bool  // whether run is reading
	wake      chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func newFeed(db *DB) *feed {
	return &feed{db: db, subs: map[chan domain.Change]struct{}{}, wake: make(chan struct{}, 1), closed: make(chan struct{})}
}

// notify tells the feed that changes were committed here.
func (f *feed) notify() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Subscribe returns the changes committed from now on, through this DB or
// any other process, until ctx ends or the DB closes, when the channel is
// closed. A subscriber that falls more than a few hundred changes behind
// misses changes rather than slowing the others; the history (Changes)
// has them all.
func (db *DB) Subscribe(ctx context.Context) (<-chan domain.Change, error) {
	f := db.feed
	ch := make(chan domain.Change, feedBuffer)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.subs) == 0 {
		// The first listener starts the reading, from the newest change.
		if err := db.primary.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes`).Scan(&f.last); err != nil {
			return nil, err
		}
		if !f.running {
			f.running = true
			go f.run()
		}
	}
	f.subs[ch] = struct{}{}
	go func() {
		select {
		case <-ctx.Done():
		case <-f.closed:
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.subs[ch]; ok {
			delete(f.subs, ch)
			close(ch)
		}
	}()
	return ch, nil
}

// run reads new changes and hands them out while anyone listens.
func (f *feed) run() {
	ticker := time.NewTicker(f.db.eng.changesPoll())
	defer ticker.Stop()
	for {
		select {
		case <-f.closed:
			f.mu.Lock()
			f.running = false
			f.mu.Unlock()
			return
		case <-ticker.C:
		case <-f.wake:
		}
		f.mu.Lock()
		if len(f.subs) == 0 {
			f.running = false
			f.mu.Unlock()
			return
		}
		after := f.last
		f.mu.Unlock()
		changes, err := f.since(after)
		if err != nil {
			continue // a busy or closing database: try again at the next tick
		}
		f.mu.Lock()
		for _, c := range changes {
			if c.Seq <= f.last {
				continue // a listener arrived meanwhile and moved the start on
			}
			for ch := range f.subs {
				select {
				case ch <- *c:
				default: // too slow: this subscriber misses the change
				}
			}
			f.last = c.Seq
		}
		f.mu.Unlock()
	}
}

// since reads the changes after a sequence number, oldest first.
func (f *feed) since(after int64) ([]*domain.Change, error) {
	ctx := context.Background()
	db := f.db.onPrimary()
	rows, err := db.read.QueryContext(ctx, `SELECT seq FROM changes WHERE seq > ? ORDER BY seq LIMIT 1000`, after)
	if err != nil {
		return nil, err
	}
	var seqs []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		seqs = append(seqs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(seqs) == 0 {
		return nil, err
	}
	return db.Changes(ctx, seqs)
}
