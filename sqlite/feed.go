package sqlite

import (
	"context"
	"sync"

	"github.com/artistgraph/artistgraph/domain"
)

// feedBuffer is how many changes a subscriber may fall behind by before it
// misses some: a slow websocket must not hold up the writer.
const feedBuffer = 256

// feed hands every committed change to the subscribers of this process.
type feed struct {
	mu   sync.Mutex
	subs map[chan domain.Change]struct{}
}

func newFeed() *feed { return &feed{subs: map[chan domain.Change]struct{}{}} }

func (f *feed) publish(changes []domain.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		for _, c := range changes {
			select {
			case ch <- c:
			default: // the subscriber is too slow; it misses this change
			}
		}
	}
}

// Subscribe returns the changes committed through this DB from now on,
// until ctx ends, when the channel is closed. A subscriber that falls more
// than a few hundred changes behind misses changes rather than slowing
// writers; the history (Changes) has them all.
func (db *DB) Subscribe(ctx context.Context) <-chan domain.Change {
	ch := make(chan domain.Change, feedBuffer)
	f := db.feed
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		delete(f.subs, ch)
		f.mu.Unlock()
		close(ch)
	}()
	return ch
}
