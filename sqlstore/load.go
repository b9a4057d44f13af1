package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// Load validates a dataset against itself and the stored graph and writes it
// in one transaction: either every thing and fact is written or, on any
// problem, nothing is. Things are matched by kind and slug and facts by their
// natural key, so loading the same dataset twice changes nothing. A load adds
// and updates; it never deletes.
func (db *DB) Load(ctx context.Context, ds *domain.Dataset) error {
	_, err := db.LoadItems(ctx, ds, nil)
	return err
}

// LoadItems is Load for items streamed from anywhere (see seed.Files), in
// one pass: each item is checked and written as it comes, and an item whose
// facts refer to things not described yet waits, in memory, until the end.
// progress, when not nil, is called after each item. The transaction is
// all or nothing, however large the load.
func (db *DB) LoadItems(ctx context.Context, items domain.Items, progress func(domain.LoadStats)) (domain.LoadStats, error) {
	var stats domain.LoadStats
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return stats, db.eng.storageError(err)
	}
	defer conn.Close()
	fresh, err := isEmpty(ctx, conn)
	if err != nil {
		return stats, err
	}
	undo, err := db.eng.beginLoad(ctx, conn, fresh)
	if err != nil {
		return stats, err
	}
	tx, err := db.beginWrite(ctx, conn.BeginTx)
	if err == nil && fresh {
		// Another server may have loaded into the database since it was
		// counted (two starting at once, each seeding it): what counts is
		// what the transaction sees, under the write lock.
		var still bool
		if still, err = isEmpty(ctx, tx); err != nil || !still {
			_ = tx.Rollback()
			undo()
			if err != nil {
				return stats, err
			}
			fresh = false
			if undo, err = db.eng.beginLoad(ctx, conn, fresh); err != nil {
				return stats, err
			}
			tx, err = db.beginWrite(ctx, conn.BeginTx)
		}
	}
	defer undo()
	if err != nil {
		return stats, err
	}
	phase := func(name string) {
		stats.Phase = name
		if progress != nil {
			progress(stats)
		}
	}
	stats.Phase = domain.PhaseItems
	err = func() error {
		l := newWriter(ctx, db.eng, tx)
		l.conn = conn
		defer l.closeStatements()
		if err := db.eng.prepareLoad(l, fresh); err != nil {
			return err
		}
		if !fresh {
			l.queueRows()
		}
		v := domain.NewValidator(l)
		var waiting []any
		view := db.within(l)
		write := func(item any) error {
			kind, thing := domain.ItemThing(item)
			v.Thing(item)
			if thing != nil && thing.NamedBy == "" {
				stats.Things++
				if v.OK() {
					if err := l.thing(kind, item, thing); err != nil {
						return err
					}
				}
			}
			stats.Facts += domain.ItemFacts(item)
			if !v.Ready(item) {
				waiting = append(waiting, item)
			} else if v.OK() {
				if err := l.facts(item); err != nil {
					return err
				}
			}
			if progress != nil {
				progress(stats)
			}
			return nil
		}
		// Into a populated database, items go in chunks: the things they
		// restate are read back for a whole chunk at once (see restate).
		var chunk []any
		writeChunk := func() error {
			if err := restate(ctx, l, view, chunk); err != nil {
				return err
			}
			for _, item := range chunk {
				if err := write(item); err != nil {
					return err
				}
			}
			chunk = chunk[:0]
			return nil
		}
		err := pipelined(ctx, items, func(item any) error {
			item = domain.Standalone(item)
			if fresh {
				return write(item)
			}
			if chunk = append(chunk, item); len(chunk) == restateChunk {
				return writeChunk()
			}
			return nil
		})
		// A file that cannot be read is reported with the problems the
		// items read so far have.
		var unreadable *domain.Problems
		if errors.As(err, &unreadable) {
			err = nil
		}
		if err == nil {
			err = writeChunk()
		}
		if err != nil {
			return err
		}
		if len(waiting) > 0 {
			phase(domain.PhaseWaiting)
		}
		for _, item := range waiting {
			v.Facts(item)
			if v.OK() {
				if err := l.facts(item); err != nil {
					return err
				}
			}
		}
		err = v.Err()
		if err == nil && unreadable == nil {
			err = l.flush()
		}
		if err == nil && unreadable == nil {
			err = l.releaseIDs()
		}
		if err == nil && unreadable == nil && len(l.unreleased) > 0 {
			err = l.exec(creditReleases, idList(l.unreleased))
		}
		if err == nil && unreadable == nil && fresh {
			err = db.eng.finishFreshLoad(l, phase)
		}
		if err == nil && unreadable == nil && l.batch && l.firstID != 0 {
			// The streams triggers fired in whatever order the queued
			// rows went in: the songs given milestones by this load are
			// worked out again.
			err = l.exec(songStreams+` WHERE id IN (SELECT work_id FROM milestones WHERE id >= ?)`, l.firstID)
		}
		var problems *domain.Problems
		switch {
		case unreadable == nil:
			return err
		case errors.As(err, &problems):
			all := append(*unreadable, *problems...)
			return &all
		case err != nil:
			return err
		}
		return unreadable
	}()
	if err != nil {
		_ = tx.Rollback()
		return stats, db.eng.storageError(err)
	}
	phase(domain.PhaseCommit)
	if err := tx.Commit(); err != nil {
		return stats, db.eng.storageError(err)
	}
	db.committed(ctx)
	return stats, nil
}

// queueRows makes a load into a populated database queue the rows of new
// nodes, as a fresh load does (see batched). Every reference is to nodes,
// whose queued rows go in before any other (see flushQueue), so that
// references are checked row by row as before. (Deferring the checks to
// the commit instead made each node's insert search every table that
// refers to nodes, some without an index: quadratic.)
func (l *writer) queueRows() {
	l.batch, l.nodesFirst = true, true
	l.startQueues()
}

// startQueues readies what a writer that queues rows keeps in memory.
func (l *writer) startQueues() {
	l.keys, l.dated, l.stints, l.queues = map[uint64]bool{}, map[uint64][]domain.Date{}, map[string][]stint{}, map[string]*queue{}
}

// isEmpty reports whether the database holds no node.
func isEmpty(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM nodes LIMIT 1) AS any_node`).Scan(&n)
	return n == 0, err
}

// restateChunk is how many items a load into a populated database reads
// back at once.
const restateChunk = 256

// restate makes each thing of items that restates a stored one keep what
// its file leaves out (domain.Restate), reading the stored things back in
// one batch.
func restate(ctx context.Context, l *writer, view *DB, items []any) error {
	ids := map[int64]any{}
	var order []int64
	for _, item := range items {
		kind, thing := domain.ItemThing(item)
		if thing == nil || thing.Stated == nil {
			continue
		}
		id, err := l.slugID(kind, thing.Slug)
		if err != nil {
			return err
		}
		if id != 0 {
			ids[id] = item
			order = append(order, id)
		}
	}
	if len(order) == 0 {
		return nil
	}
	stored, err := view.thingDocs(ctx, order)
	if err != nil {
		return err
	}
	for _, id := range order {
		if doc, ok := stored[id]; ok {
			domain.Restate(ids[id], doc)
		}
	}
	return nil
}

// pipelined reads items on one goroutine while fn checks and writes them on
// this one, so that decoding and writing use a core each. fn's first error
// stops both.
func pipelined(ctx context.Context, items domain.Items, fn func(item any) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan any, 4096)
	read := make(chan error, 1)
	go func() {
		defer close(queue)
		read <- items.Each(func(item any) error {
			select {
			case queue <- item:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for item := range queue {
		if err := fn(item); err != nil {
			cancel()
			for range queue {
			}
			<-read
			return err
		}
	}
	if err := <-read; err != nil {
		return err
	}
	return ctx.Err()
}

// writer writes fixture items inside one write transaction, with each
// statement prepared once: a load's items, or the one item an edit makes
// (see editTx).
//
// Into an empty database ("fresh"), it gives every node its ID itself and
// queues rows, to write them many to a statement; foreign keys are checked
// at commit. Into a database that holds a graph already, it looks up each
// thing and fact first, to update what is there.
type writer struct {
	ctx   context.Context
	eng   engine
	tx    *sql.Tx
	conn  *sql.Conn // a load's connection, which tx is on
	ids   map[domain.Kind]map[string]int64
	stmts map[string]*sql.Stmt

	fresh bool
	// nodesFirst is set when references are checked row by row: queued
	// rows of new nodes are then written before any row that refers to
	// them.
	nodesFirst bool
	// batch is set for a load into a database that holds a graph: new
	// nodes' rows are queued as in a fresh load, and what the load reads
	// back of what it wrote is flushed first (see batched).
	batch bool
	// firstID is the first node ID this load gave, to work out again
	// what triggers keep for the rows it queued (songStreams).
	firstID int64
	// unreleased lists the works whose credits a load wrote without
	// their release date (see released).
	unreleased []int64
	indexes    []string // secondary indexes and triggers a fresh load drops, to create once at the end
	nextID     int64    // the next of the IDs reserved (see newID), up to endID
	endID      int64
	keys       map[uint64]bool          // hashes of the fact keys a fresh load wrote
	dated      map[uint64][]domain.Date // and the dates it wrote under each identity of a dated fact (see match)
	stints     map[string][]stint       // and the memberships, by artist and group (see stintOverlap)
	// positions is the last billing position each work's credits took
	// in this load, for credits written apart (see creditPosition).
	positions map[int64]int
	queues    map[string]*queue

	// target, when set, is the one node an edit writes (see edit.go).
	target *target
}

func newWriter(ctx context.Context, eng engine, tx *sql.Tx) *writer {
	return &writer{ctx: ctx, eng: eng, tx: tx, ids: map[domain.Kind]map[string]int64{}, stmts: map[string]*sql.Stmt{}, positions: map[int64]int{}}
}

// target is the node an edit writes: by ID rather than by its key, so that
// an edit may change the slug or key fields; a key another node holds is a
// conflict rather than that node's update.
type target struct {
	id     int64 // the node's ID; 0 to create one
	exists bool  // false to create it, under id when that is set (a revert of a delete)
}

// queue holds rows for one multi-row INSERT.
type queue struct {
	head string
	cols int
	rows [][]any
}

// songStreams works out every song's streams (see migration 0007) after
// a fresh load, which writes without the triggers that keep them.
const songStreams = `UPDATE songs SET streams = coalesce((SELECT max(threshold) FROM milestones m WHERE m.work_id = songs.id AND m.metric = 'streams'), 0)`

// batched reports whether the writer queues the rows of new nodes: a load
// does, into an empty database or not; an edit writes at once, and reads
// back what it wrote.
func (l *writer) batched() bool { return l.fresh || l.batch }

// add queues a row when loading, and writes it now for an edit.
func (l *writer) add(head string, cols int, row ...any) error {
	if !l.batched() {
		return l.insertRows(head, cols, [][]any{row})
	}
	q := l.queues[head]
	if q == nil {
		q = &queue{head: head, cols: cols}
		l.queues[head] = q
	}
	q.rows = append(q.rows, row)
	if len(q.rows)*cols >= 30_000 || len(q.rows) >= 1_000 {
		return l.flushQueue(q)
	}
	return nil
}

// nodesQueue is the queue of new nodes' rows, which every other row refers
// to: into a database that checks references row by row, it is written
// first.
const nodesQueue = "INSERT INTO nodes "

func (l *writer) flushQueue(q *queue) error {
	if l.nodesFirst && !strings.HasPrefix(q.head, nodesQueue) {
		if err := l.flushNodes(); err != nil {
			return err
		}
	}
	err := l.eng.insertRows(l, q.head, q.cols, q.rows)
	q.rows = q.rows[:0]
	return err
}

// flushNodes writes the queued rows of new nodes, so that a row written
// now may refer to them.
func (l *writer) flushNodes() error {
	for head, q := range l.queues {
		if strings.HasPrefix(head, nodesQueue) && len(q.rows) > 0 {
			if err := l.eng.insertRows(l, q.head, q.cols, q.rows); err != nil {
				return err
			}
			q.rows = q.rows[:0]
		}
	}
	return nil
}

// flush writes every queued row.
func (l *writer) flush() error {
	for _, q := range l.queues {
		if err := l.flushQueue(q); err != nil {
			return err
		}
	}
	return nil
}

// find looks a node up by its key for a load, which updates the node it
// finds. For an edit, it returns the target instead, and a key held by
// another node is a conflict.
func (l *writer) find(kind domain.Kind, what string, query string, args ...any) (int64, error) {
	id, err := l.lookupID(query, args...)
	if err != nil || l.target == nil {
		return id, err
	}
	if id != 0 && id != l.target.id {
		return 0, domain.Errorf(domain.ECONFLICT, "%s already exists (%s)", what, domain.GlobalID(kind, id))
	}
	if l.target.exists {
		return l.target.id, nil
	}
	return 0, nil
}

// idForNew gives a node the load creates its ID: the target's, when an edit
// brings a deleted node back, or the next one.
func (l *writer) idForNew() (int64, error) {
	if t := l.target; t != nil {
		if t.id == 0 {
			id, err := l.newID()
			if err != nil {
				return 0, err
			}
			t.id = id
		}
		t.exists = true
		return t.id, nil
	}
	return l.newID()
}

// idBlock is how many node IDs a load reserves at once; an edit, which
// creates one node, reserves one.
const idBlock = 1024

// newID gives the load's next node its ID, from a block reserved with one
// statement on the ID counter (migration 0010), so that concurrent writers
// never take the same one.
func (l *writer) newID() (int64, error) {
	if l.nextID == l.endID {
		n := int64(idBlock)
		if l.target != nil {
			n = 1
		}
		if err := l.tx.QueryRowContext(l.ctx, `UPDATE id_counter SET next = next + ? WHERE name = 'nodes' RETURNING next`, n).Scan(&l.endID); err != nil {
			return 0, err
		}
		l.nextID = l.endID - n
	}
	id := l.nextID
	l.nextID++
	if l.firstID == 0 {
		l.firstID = id
	}
	return id, nil
}

// releaseIDs gives back the IDs reserved and not used, unless another
// writer has reserved some since, so that IDs stay dense.
func (l *writer) releaseIDs() error {
	if l.nextID == l.endID {
		return nil
	}
	return l.exec(`UPDATE id_counter SET next = ? WHERE name = 'nodes' AND next = ?`, l.nextID, l.endID)
}

func keyHash(kind domain.Kind, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return h.Sum64()
}

func (l *writer) stmt(query string) (*sql.Stmt, error) {
	if s, ok := l.stmts[query]; ok {
		return s, nil
	}
	s, err := l.tx.PrepareContext(l.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	l.stmts[query] = s
	return s, nil
}

// QueryContext and QueryRowContext read inside the load's transaction with
// statements prepared once, so that the many small reads of an edit are
// not parsed again each time.
func (l *writer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := l.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (l *writer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := l.stmt(query)
	if err != nil {
		return l.tx.QueryRowContext(ctx, query, args...) // fails the same way, with a Row to report it
	}
	return s.QueryRowContext(ctx, args...)
}

func (l *writer) closeStatements() {
	for _, s := range l.stmts {
		s.Close()
	}
}

func (l *writer) exec(query string, args ...any) error {
	s, err := l.stmt(query)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(l.ctx, args...)
	return err
}

// writeDetail writes a node's row of its kind's table, detail naming the
// table and its columns ("songs (id, released, duration_seconds)"): a new
// row, or the stored one updated in place, so that columns the load does
// not write (a song's streams, kept by triggers) keep their value, and the
// row's update triggers fire.
func (l *writer) writeDetail(detail string, args []any) error {
	open, end := strings.IndexByte(detail, '('), strings.LastIndexByte(detail, ')')
	var set []string
	for _, col := range strings.Split(detail[open+1:end], ",")[1:] {
		col = strings.TrimSpace(col)
		set = append(set, col+" = excluded."+col)
	}
	return l.exec(`INSERT INTO `+detail+` VALUES (`+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`) ON CONFLICT (id) DO UPDATE SET `+strings.Join(set, ", "), args...)
}

// insertRows runs one multi-row INSERT of rows of n values each.
func (l *writer) insertRows(head string, n int, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
	args := make([]any, 0, n*len(rows))
	for _, r := range rows {
		args = append(args, r...)
	}
	return l.exec(head+" VALUES "+strings.TrimSuffix(strings.Repeat(one+",", len(rows)), ","), args...)
}

// lookupID finds a node's ID by a unique key, 0 when there is none.
func (l *writer) lookupID(query string, args ...any) (int64, error) {
	s, err := l.stmt(query)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.QueryRowContext(l.ctx, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func (l *writer) remember(kind domain.Kind, slug string, id int64) {
	if l.ids[kind] == nil {
		l.ids[kind] = map[string]int64{}
	}
	l.ids[kind][slug] = id
}

// slugID finds a thing's ID in this load or the database, 0 when none.
func (l *writer) slugID(kind domain.Kind, slug string) (int64, error) {
	if id, ok := l.ids[kind][slug]; ok || l.fresh {
		return id, nil
	}
	id, err := l.lookupID(`SELECT id FROM nodes WHERE kind = ? AND slug = ?`, string(kind), slug)
	if err == nil && (id != 0 || l.target == nil) {
		l.remember(kind, slug, id) // a load remembers 0 too: it asks of a new thing several times
	}
	return id, err
}

// Known answers validation's questions about stored things from inside the
// load's transaction.
func (l *writer) Known(kind domain.Kind, slug string) (domain.Known, bool, error) {
	id, err := l.slugID(kind, slug)
	if err != nil || id == 0 {
		return domain.Known{}, false, err
	}
	known := domain.Known{Kind: kind}
	if storage, err := storageOf(kind); err != nil {
		return known, false, err
	} else if storage.keyDate != "" {
		s, err := l.stmt(storage.keyDate)
		if err != nil {
			return known, false, err
		}
		var text string
		if err := s.QueryRowContext(l.ctx, id).Scan(&text); err != nil {
			return known, false, err
		}
		known.Date = parseStoredDate(text)
	}
	return known, true, nil
}

// Named lists the stored things of a kind with a name (domain.Stored).
// Into an empty database there are none.
func (l *writer) Named(kind domain.Kind, name string) ([]string, error) {
	if l.fresh {
		return nil, nil
	}
	// Sorted here: ORDER BY slug would lead SQLite to walk the kind's
	// slugs instead of the index of names.
	s, err := l.stmt(`SELECT slug FROM nodes WHERE kind = ? AND lower(name) = lower(?) AND slug IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	slugs, err := scanStrings(s.QueryContext(l.ctx, string(kind), name))
	slices.Sort(slugs)
	return slugs, err
}

// Similar finds the stored slug of a kind nearest to one that names
// nothing (domain.Stored): a scan of the kind's slugs, which validation
// bounds.
func (l *writer) Similar(kind domain.Kind, slug string) (string, error) {
	if l.fresh {
		return "", nil
	}
	s, err := l.stmt(`SELECT slug FROM nodes WHERE kind = ? AND slug IS NOT NULL`)
	if err != nil {
		return "", err
	}
	slugs, err := scanStrings(s.QueryContext(l.ctx, string(kind)))
	return domain.Closest(slug, slices.Values(slugs)), err
}

// ref resolves a slug validation has already found, among kinds in order.
func (l *writer) ref(slug string, kinds ...domain.Kind) (int64, error) {
	for _, k := range kinds {
		id, err := l.slugID(k, slug)
		if err != nil || id != 0 {
			return id, err
		}
	}
	return 0, fmt.Errorf("%s %q vanished during the load", kinds[0], slug)
}

func (l *writer) act(slug string) (int64, error) {
	return l.ref(slug, domain.KindArtist, domain.KindGroup)
}

func (l *writer) work(w domain.WorkRef) (int64, error) {
	if w.Song != "" {
		return l.ref(w.Song, domain.KindSong)
	}
	return l.ref(w.Album, domain.KindAlbum)
}

func (l *writer) acts(slugs []string) ([]int64, error) {
	ids := make([]int64, len(slugs))
	for i, s := range slugs {
		id, err := l.act(s)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// thing writes a thing, its kind's details and its names. A thing already
// stored keeps its ID and has its names replaced.
func (l *writer) thing(kind domain.Kind, item any, t *domain.ThingDoc) error {
	storage, err := storageOf(kind)
	if err != nil {
		return err
	}
	detail, args := storage.detail(item)
	names := append([]domain.NameDoc{{Value: t.Name, Kind: "primary"}}, t.Names...)
	var id int64
	switch {
	case l.fresh:
		// Validation has refused a slug described twice, so it is new.
	case l.target == nil:
		id, err = l.slugID(kind, t.Slug)
	default:
		id, err = l.find(kind, fmt.Sprintf("%s %q", strings.ToLower(string(kind)), t.Slug), `SELECT id FROM nodes WHERE kind = ? AND slug = ?`, string(kind), t.Slug)
	}
	if err != nil {
		return err
	}
	if id == 0 && l.batched() {
		// A new thing of a load: its rows are queued.
		if id, err = l.newID(); err != nil {
			return err
		}
		l.remember(kind, t.Slug, id)
		if err := l.add(`INSERT INTO nodes (id, kind, slug, name, description, note, local_names, identifiers)`, 8, id, string(kind), t.Slug, t.Name, t.Description, t.Note, domain.LocalNames(names), domain.IdentifiersJSON(t.IDs)); err != nil {
			return err
		}
		if err := l.add(`INSERT INTO `+detail, len(args)+1, append([]any{id}, args...)...); err != nil {
			return err
		}
		if err := l.identifiers(id, t.IDs); err != nil {
			return err
		}
		return l.names(id, names)
	}
	if id == 0 {
		if id, err = l.idForNew(); err != nil {
			return err
		}
		if err := l.exec(`INSERT INTO nodes (id, kind, slug, name, description, note, local_names, identifiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, string(kind), t.Slug, t.Name, t.Description, t.Note, domain.LocalNames(names), domain.IdentifiersJSON(t.IDs)); err != nil {
			return fmt.Errorf("%s %q: %w", kind, t.Slug, err)
		}
	} else {
		if err := l.exec(`UPDATE nodes SET slug = ?, name = ?, description = ?, note = ?, local_names = ?, identifiers = ? WHERE id = ?`, t.Slug, t.Name, t.Description, t.Note, domain.LocalNames(names), domain.IdentifiersJSON(t.IDs), id); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM names WHERE node_id = ?`, `DELETE FROM identifiers WHERE node_id = ?`} {
			if err := l.exec(q, id); err != nil {
				return err
			}
		}
		if err := dropSearchRows(l.exec, id); err != nil {
			return err
		}
	}
	l.remember(kind, t.Slug, id)
	if err := l.writeDetail(detail, append([]any{id}, args...)); err != nil {
		return fmt.Errorf("%s %q: %w", kind, t.Slug, err)
	}
	if err := l.identifiers(id, t.IDs); err != nil {
		return err
	}
	if released, ok := workRelease(item); ok {
		if err := l.exec(`UPDATE credits SET released = ? WHERE work_id = ?`, released.String(), id); err != nil {
			return err
		}
	}
	return l.names(id, names)
}

// identifiers writes a thing's identifiers, one row each, in scheme order.
func (l *writer) identifiers(id int64, ids map[string]string) error {
	for _, scheme := range slices.Sorted(maps.Keys(ids)) {
		if ids[scheme] == "" {
			continue // cleared
		}
		if err := l.add(`INSERT INTO identifiers (value, scheme, node_id)`, 3, ids[scheme], scheme, id); err != nil {
			return err
		}
	}
	return nil
}

// Identified finds the stored thing with an identifier (domain.Stored).
func (l *writer) Identified(scheme, value string) (domain.Kind, string, error) {
	if l.fresh {
		return "", "", nil
	}
	var kind domain.Kind
	var slug string
	err := l.QueryRowContext(l.ctx, `SELECT n.kind, n.slug FROM identifiers i JOIN nodes n ON n.id = i.node_id WHERE i.value = ? AND i.scheme = ?`, value, scheme).Scan(&kind, &slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return kind, slug, err
}

// workRelease is the release date of a song or album item.
func workRelease(item any) (domain.Date, bool) {
	switch it := item.(type) {
	case *domain.SongDoc:
		return it.Released, true
	case *domain.AlbumDoc:
		return it.Released, true
	}
	return domain.Date{}, false
}

// names writes a thing's names and indexes them for search. The search
// rows of a thing have the row IDs id*MaxNames and up, so that replacing
// them is a range delete rather than a scan of the index.
func (l *writer) names(id int64, names []domain.NameDoc) error {
	var rows, search, grams [][]any
	seen := map[string]bool{}
	for i, n := range names {
		kind := n.Kind
		if kind == "" {
			kind = "alias"
		}
		folded := compact(n.Value)
		rows = append(rows, []any{id, i, n.Value, n.Locale, kind, folded})
		if !seen[n.Value] {
			seen[n.Value] = true
			search = append(search, []any{id*domain.MaxNames + int64(i), l.eng.searchValue(n.Value), folded, id})
			grams = append(grams, []any{id*domain.MaxNames + int64(i), letters(folded), id})
		}
	}
	for _, r := range rows {
		if err := l.add(`INSERT INTO names (node_id, position, value, locale, kind, compact)`, 6, r...); err != nil {
			return err
		}
	}
	for i := range search {
		if err := l.add(`INSERT INTO name_search (rowid, value, compact, node_id)`, 4, search[i]...); err != nil {
			return err
		}
		if err := l.add(`INSERT INTO name_trigrams (rowid, compact, node_id)`, 3, grams[i]...); err != nil {
			return err
		}
	}
	return nil
}

// link is one thing a fact joins and the part it plays.
type link struct {
	thing int64
	role  string
}

func thingLinks(role string, things []int64) []link {
	out := make([]link, len(things))
	for i, t := range things {
		out[i] = link{t, role}
	}
	return out
}

// fact writes a fact found by its natural key, with its details, the things
// it joins and its citations, replacing what an earlier load wrote.
func (l *writer) fact(kind domain.Kind, key string, f *domain.FactDoc, detail string, args []any, links []link) (id int64, fresh bool, err error) {
	looked := false
	if l.batched() && l.target == nil {
		h := keyHash(kind, key)
		switch {
		case l.keys[h]:
			// The same fact twice in one load: the second updates the
			// first, which must be written before it can be looked up.
			if err := l.flush(); err != nil {
				return 0, false, err
			}
		case l.batch && !l.joinsNew(links):
			// A fact stored before this load is updated below.
			l.keys[h], looked = true, true
			if id, err = l.lookupID(`SELECT id FROM nodes WHERE kind = ? AND fact_key = ?`, string(kind), key); err != nil {
				return 0, false, err
			}
		default:
			l.keys[h], looked = true, true
		}
		if looked && id == 0 {
			if id, err = l.newID(); err != nil {
				return 0, false, err
			}
			if err := l.add(`INSERT INTO nodes (id, kind, fact_key, note, support)`, 5, id, string(kind), key, f.Note, f.Support.Stored()); err != nil {
				return 0, false, err
			}
			if err := l.add(`INSERT INTO `+detail, len(args)+1, append([]any{id}, args...)...); err != nil {
				return 0, false, err
			}
			return id, true, l.factLinks(id, f.Sources, links)
		}
	}
	if !looked {
		if id, err = l.find(kind, "the same "+strings.ToLower(string(kind)), `SELECT id FROM nodes WHERE kind = ? AND fact_key = ?`, string(kind), key); err != nil {
			return 0, false, err
		}
	}
	if l.batch {
		// A stored fact is written now, and may refer to new things.
		if err := l.flushNodes(); err != nil {
			return 0, false, err
		}
	}
	if id == 0 {
		if id, err = l.idForNew(); err != nil {
			return 0, false, err
		}
		fresh = true
		if err := l.exec(`INSERT INTO nodes (id, kind, fact_key, note, support) VALUES (?, ?, ?, ?, ?)`, id, string(kind), key, f.Note, f.Support.Stored()); err != nil {
			return 0, false, fmt.Errorf("%s %s: %w", kind, key, err)
		}
	} else {
		if err := l.exec(`UPDATE nodes SET fact_key = ?, note = ?, support = ? WHERE id = ?`, key, f.Note, f.Support.Stored(), id); err != nil {
			return 0, false, err
		}
		for _, q := range []string{`DELETE FROM citations WHERE node_id = ?`, `DELETE FROM fact_links WHERE fact_id = ?`} {
			if err := l.exec(q, id); err != nil {
				return 0, false, err
			}
		}
	}
	if err := l.writeDetail(detail, append([]any{id}, args...)); err != nil {
		return 0, false, fmt.Errorf("%s %s: %w", kind, key, err)
	}
	return id, fresh, l.factLinks(id, f.Sources, links)
}

// joinsNew reports whether a fact joins a thing this load created: then it
// cannot have been stored before the load. IDs only grow, and the load
// holds the write lock.
func (l *writer) joinsNew(links []link) bool {
	for _, k := range links {
		if l.isNew(k.thing) {
			return true
		}
	}
	return false
}

// isNew reports whether a node was created by this load.
func (l *writer) isNew(id int64) bool { return l.firstID != 0 && id >= l.firstID }

// factLinks writes the things a fact joins and the sources it cites.
func (l *writer) factLinks(id int64, sources []string, links []link) error {
	seen := map[link]bool{}
	for _, k := range links {
		if !seen[k] {
			seen[k] = true
			if err := l.add(`INSERT INTO fact_links (fact_id, thing_id, role)`, 3, id, k.thing, k.role); err != nil {
				return err
			}
		}
	}
	return l.cite(id, sources)
}

func (l *writer) cite(id int64, sources []string) error {
	seen := map[int64]bool{}
	for i, slug := range sources {
		src, err := l.ref(slug, domain.KindSource)
		if err != nil {
			return err
		}
		if !seen[src] {
			seen[src] = true
			if err := l.add(`INSERT INTO citations (node_id, source_id, position)`, 3, id, src, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// children writes an ordered list of IDs attached to a fact (recipients,
// performers, record subjects), replacing the list of a fact not new.
func (l *writer) children(table, owner, child string, fact int64, fresh bool, ids []int64) error {
	if !fresh {
		if err := l.exec(`DELETE FROM `+table+` WHERE `+owner+` = ?`, fact); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	for i, id := range ids {
		if !seen[id] {
			seen[id] = true
			if err := l.add(`INSERT INTO `+table+` (`+owner+`, `+child+`, position)`, 3, fact, id, i+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// facts writes the facts an item holds, and the sources a thing cites.
func (l *writer) facts(item any) error {
	if err := l.thingSources(item); err != nil {
		return err
	}
	return l.heldFacts(item)
}

// thingSources writes the sources the thing of an item cites.
func (l *writer) thingSources(item any) error {
	kind, t := domain.ItemThing(item)
	if t == nil || t.NamedBy != "" {
		return nil
	}
	id := l.ids[kind][t.Slug]
	if !l.fresh {
		if err := l.exec(`DELETE FROM citations WHERE node_id = ?`, id); err != nil {
			return err
		}
	}
	return l.cite(id, t.Sources)
}

// heldFacts writes the facts an item holds, or is, by its kind's storage.
func (l *writer) heldFacts(item any) error {
	spec, ok := domain.SpecOfItem(item)
	if !ok {
		return fmt.Errorf("%T is not a fixture item", item)
	}
	storage, err := storageOf(spec.Kind)
	if err != nil || storage.facts == nil {
		return err
	}
	if _, t := domain.ItemThing(item); t != nil && t.NamedBy != "" {
		// A fact written apart names its holder, described elsewhere.
		if _, err := l.slugID(spec.Kind, t.Slug); err != nil {
			return err
		}
	}
	return storage.facts(l, item)
}

func (l *writer) memberships(g *domain.GroupDoc) error {
	group := l.ids[domain.KindGroup][g.Slug]
	for i := range g.Members {
		m := &g.Members[i]
		artist, err := l.ref(m.Artist, domain.KindArtist)
		if err != nil {
			return err
		}
		key, err := l.match(datedKey{kind: domain.KindMembership, identity: fmt.Sprintf("%d/%d", artist, group), joins: []int64{artist, group}, date: &m.Start, fact: &m.FactDoc})
		if err != nil {
			return err
		}
		if l.batched() {
			if err := l.stintOverlap(m, fmt.Sprintf("%d/%d", artist, group), key); err != nil {
				return err
			}
		}
		if !l.fresh && !l.isNew(artist) && !l.isNew(group) {
			if err := l.noOverlap(m, artist, group, key); err != nil {
				return err
			}
		}
		_, _, err = l.fact(domain.KindMembership, key, &m.FactDoc,
			`memberships (id, artist_id, group_id, roles, start_date, end_date)`,
			[]any{artist, group, jsonText(m.Roles), m.Start.String(), m.End.String()},
			[]link{{artist, "member"}, {group, "group"}})
		if err != nil {
			return err
		}
	}
	return nil
}

// thingLinks writes what an edited thing names of other things (see
// kindStorage.links).
func (l *writer) thingLinks(item any) error {
	spec, ok := domain.SpecOfItem(item)
	if !ok {
		return fmt.Errorf("%T is not a fixture item", item)
	}
	storage, err := storageOf(spec.Kind)
	if err != nil || storage.links == nil {
		return err
	}
	return storage.links(l, item)
}

// formation links a group to the event it was formed on, once both are
// written: the event may come later in the load than the group.
func (l *writer) formation(g *domain.GroupDoc) error {
	if g.NamedBy != "" || (l.fresh && g.FormedOn == "") {
		return nil // a holder named by facts, or nothing to link
	}
	var event sql.NullInt64
	if g.FormedOn != "" {
		id, err := l.ref(g.FormedOn, domain.KindEvent)
		if err != nil {
			return err
		}
		event = sql.NullInt64{Int64: id, Valid: true}
	}
	if l.batched() {
		if err := l.flush(); err != nil {
			return err
		}
	}
	return l.exec(`UPDATE groups_ SET formed_on = ? WHERE id = ?`, event, l.ids[domain.KindGroup][g.Slug])
}

// stint is a membership a load wrote, to compare the next ones with.
type stint struct {
	key        string
	start, end domain.Date
}

// stintOverlap refuses a membership that overlaps another stint of the same
// artist in the same group written earlier in this load (in another item:
// validation compares those of one item), and remembers it. A load keeps
// them in memory, since their rows may still be queued.
func (l *writer) stintOverlap(m *domain.MembershipDoc, identity, key string) error {
	for _, s := range l.stints[identity] {
		if s.key != key && domain.StintsOverlap(s.start, s.end, m.Start, m.End) {
			return &domain.Problems{{File: m.File, Path: m.Path + ".start", Why: fmt.Sprintf(
				"%s is already a member then (from %s, %s); a second stint starts after the first has ended", m.Artist, s.start, untilText(s.end))}}
		}
	}
	l.stints[identity] = append(slices.DeleteFunc(l.stints[identity], func(s stint) bool { return s.key == key }), stint{key, m.Start, m.End})
	return nil
}

func untilText(end domain.Date) string {
	if end.IsZero() {
		return "not ended"
	}
	return "to " + end.String()
}

// noOverlap refuses a membership that overlaps another stored stint of the
// same artist in the same group (one with another key; the same key is
// this membership, which the write updates). A fresh load has nothing
// stored, and validation compares the stints of one item.
func (l *writer) noOverlap(m *domain.MembershipDoc, artist, group int64, key string) error {
	rows, err := l.QueryContext(l.ctx, `SELECT n.id, m.start_date, m.end_date FROM memberships m JOIN nodes n ON n.id = m.id
		WHERE m.artist_id = ? AND m.group_id = ? AND n.fact_key <> ?`, artist, group, key)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var start, end string
		if err := rows.Scan(&id, &start, &end); err != nil {
			return err
		}
		if l.target != nil && id == l.target.id {
			continue // the membership an edit rewrites
		}
		s, e := parseStoredDate(start), parseStoredDate(end)
		if domain.StintsOverlap(s, e, m.Start, m.End) {
			return &domain.Problems{{File: m.File, Path: m.Path + ".start", Why: fmt.Sprintf("%s is already a member then (from %s, %s); a second stint starts after the first has ended", m.Artist, s, untilText(e))}}
		}
	}
	return rows.Err()
}

// released is the release date of the work whose credits are written: the
// item's, or the stored work's when the item only names it (a credit
// written apart). A load may not have written the work's rows yet, and
// sets its credits' date at the end instead (creditReleases).
func (l *writer) released(kind domain.Kind, t *domain.ThingDoc, stated domain.Date) (domain.Date, error) {
	if t.NamedBy == "" {
		return stated, nil
	}
	if l.batched() {
		l.unreleased = append(l.unreleased, l.ids[kind][t.Slug])
		return domain.Date{}, nil
	}
	known, _, err := l.Known(kind, t.Slug)
	return known.Date, err
}

// creditReleases copies the release date of each work listed (JSON) onto
// its credits, which keep it to list an act's credits by date.
const creditReleases = `UPDATE credits SET released = coalesce((SELECT released FROM songs WHERE id = credits.work_id), (SELECT released FROM albums WHERE id = credits.work_id), '')
	WHERE work_id ` + inList

func (l *writer) credits(work int64, released domain.Date, credits []domain.CreditDoc, apart bool) error {
	for i := range credits {
		c := &credits[i]
		act, err := l.act(c.Act)
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%d/%d/%s", work, act, c.Role)
		position := cmp.Or(c.Position, i+1)
		if apart {
			// A credit written apart comes after the work's others, or
			// keeps its place when it restates one.
			if position, err = l.creditPosition(work, key); err != nil {
				return err
			}
		}
		l.positions[work] = max(l.positions[work], position)
		_, _, err = l.fact(domain.KindCredit, key, &c.FactDoc,
			`credits (id, work_id, act_id, role, position, join_phrase, credited_as, released)`,
			[]any{work, act, c.Role, position, c.JoinPhrase, c.CreditedAs, released.String()},
			[]link{{act, "act"}, {work, "work"}})
		if err != nil {
			return err
		}
	}
	return nil
}

// creditPosition is the billing position of a credit written apart from
// its work: the stored credit's with the same key, or the one after the
// work's last.
func (l *writer) creditPosition(work int64, key string) (int, error) {
	switch {
	case l.batched() && (l.keys[keyHash(domain.KindCredit, key)] || l.batch && l.positions[work] > 0):
		// Credits of this load are among those to count.
		if err := l.flush(); err != nil {
			return 0, err
		}
	case l.fresh:
		return l.positions[work] + 1, nil
	}
	var position int
	err := l.QueryRowContext(l.ctx, `SELECT coalesce((SELECT c.position FROM credits c JOIN nodes n ON n.id = c.id WHERE n.kind = 'Credit' AND n.fact_key = ?),
		(SELECT max(position) FROM credits WHERE work_id = ?) + 1, 1)`, key, work).Scan(&position)
	return position, err
}

func (l *writer) tracks(album int64, tracks []domain.TrackDoc) error {
	for i := range tracks {
		t := &tracks[i]
		song, err := l.ref(t.Song, domain.KindSong)
		if err != nil {
			return err
		}
		_, _, err = l.fact(domain.KindTrack, fmt.Sprintf("%d/%d", album, song), &t.FactDoc,
			`tracks (id, album_id, song_id, disc, position, relations)`,
			[]any{album, song, max(t.Disc, 1), t.Position, jsonText(t.Relations)},
			[]link{{song, "song"}, {album, "album"}})
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *writer) awardResults(award int64, results []domain.AwardResultDoc) error {
	for i := range results {
		r := &results[i]
		recipients, err := l.acts(r.Recipients)
		if err != nil {
			return err
		}
		var work, ceremony sql.NullInt64
		links := append(thingLinks("recipient", recipients), link{award, "award"})
		if r.Work != nil {
			if work.Int64, err = l.work(*r.Work); err != nil {
				return err
			}
			work.Valid = true
			links = append(links, link{work.Int64, "work"})
		}
		if r.Ceremony != "" {
			if ceremony.Int64, err = l.ref(r.Ceremony, domain.KindEvent); err != nil {
				return err
			}
			ceremony.Valid = true
			links = append(links, link{ceremony.Int64, "ceremony"})
		}
		key, err := l.match(datedKey{kind: domain.KindAwardResult, identity: fmt.Sprintf("%d/%s/%s/%d", award, r.Category, joinIDs(recipients), work.Int64),
			joins: append([]int64{award, work.Int64}, recipients...), date: &r.Date, fact: &r.FactDoc})
		if err != nil {
			return err
		}
		id, fresh, err := l.fact(domain.KindAwardResult, key, &r.FactDoc,
			`award_results (id, award_id, date, category, result, work_id, ceremony_id)`,
			[]any{award, r.Date.String(), r.Category, r.Result, work, ceremony}, links)
		if err != nil {
			return err
		}
		if err := l.children("award_recipients", "result_id", "act_id", id, fresh, recipients); err != nil {
			return err
		}
	}
	return nil
}

func (l *writer) performances(event int64, e *domain.EventDoc) error {
	for i := range e.Performances {
		p := &e.Performances[i]
		performers, err := l.acts(p.Performers)
		if err != nil {
			return err
		}
		date := p.Date
		if date.IsZero() {
			date = e.Start
		}
		links := append(thingLinks("performer", performers), link{event, "event"})
		var setList [][]any
		for j, s := range p.SetList {
			song, err := l.ref(s.Song, domain.KindSong)
			if err != nil {
				return err
			}
			links = append(links, link{song, "song"})
			setList = append(setList, []any{j + 1, song, s.Note})
		}
		key, err := l.match(datedKey{kind: domain.KindPerformance, identity: fmt.Sprintf("%d/%s", event, joinIDs(performers)), joins: append([]int64{event}, performers...), date: &date, fact: &p.FactDoc})
		if err != nil {
			return err
		}
		id, fresh, err := l.fact(domain.KindPerformance, key, &p.FactDoc,
			`performances (id, event_id, date)`, []any{event, date.String()}, links)
		if err != nil {
			return err
		}
		if err := l.children("performers", "performance_id", "act_id", id, fresh, performers); err != nil {
			return err
		}
		if !fresh {
			if err := l.exec(`DELETE FROM set_list WHERE performance_id = ?`, id); err != nil {
				return err
			}
		}
		for _, row := range setList {
			if err := l.add(`INSERT INTO set_list (performance_id, position, song_id, note)`, 4, append([]any{id}, row...)...); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *writer) chartRun(r *domain.ChartRunDoc) error {
	chart, err := l.ref(r.Chart, domain.KindChart)
	if err != nil {
		return err
	}
	work, err := l.work(r.WorkRef)
	if err != nil {
		return err
	}
	weeks, bound := quantityValues(r.Weeks)
	atPeak, atPeakBound := quantityValues(r.WeeksAtPeak)
	key, err := l.match(datedKey{kind: domain.KindChartRun, identity: fmt.Sprintf("%d/%d", chart, work), joins: []int64{chart, work}, date: &r.Entered, fact: &r.FactDoc})
	if err != nil {
		return err
	}
	_, _, err = l.fact(domain.KindChartRun, key, &r.FactDoc,
		`chart_runs (id, chart_id, work_id, entered, peak, peak_date, weeks, weeks_bound, weeks_at_peak, weeks_at_peak_bound, as_of)`,
		[]any{chart, work, r.Entered.String(), int(r.Peak), r.PeakDate.String(), weeks, bound, atPeak, atPeakBound, r.AsOf.String()},
		[]link{{work, "work"}, {chart, "chart"}})
	return err
}

// quantityValues are the columns a count is kept in (see quantityCol).
func quantityValues(q *domain.Quantity) (sql.NullInt64, string) {
	if q == nil {
		return sql.NullInt64{}, ""
	}
	return sql.NullInt64{Int64: q.Value, Valid: true}, q.Bound
}

func (l *writer) milestone(m *domain.MilestoneDoc) error {
	platform, err := l.ref(m.Platform, domain.KindPlatform)
	if err != nil {
		return err
	}
	work, err := l.work(m.WorkRef)
	if err != nil {
		return err
	}
	_, _, err = l.fact(domain.KindMilestone, fmt.Sprintf("%d/%d/%s/%d", work, platform, m.Metric, m.Threshold), &m.FactDoc,
		`milestones (id, work_id, platform_id, metric, threshold, reached)`,
		[]any{work, platform, m.Metric, m.Threshold, m.Reached.String()},
		[]link{{work, "work"}, {platform, "platform"}})
	return err
}

func (l *writer) record(r *domain.RecordDoc) error {
	subjects := make([]int64, len(r.Subjects))
	for j, ref := range r.Subjects {
		kind, slug, err := domain.ParseThingRef(ref)
		if err != nil {
			return err
		}
		if subjects[j], err = l.ref(slug, kind); err != nil {
			return err
		}
	}
	var platform sql.NullInt64
	var metric string
	var threshold int64
	var rank int
	if rk := r.Ranking; rk != nil {
		var err error
		if platform.Int64, err = l.ref(rk.Platform, domain.KindPlatform); err != nil {
			return err
		}
		platform.Valid, metric, threshold, rank = true, rk.Metric, rk.Threshold, rk.Rank
	}
	id, fresh, err := l.fact(domain.KindRecord, r.Claim+"/"+joinIDs(subjects), &r.FactDoc,
		`records (id, claim, date, ranking_platform_id, ranking_metric, ranking_threshold, ranking_rank)`,
		[]any{r.Claim, r.Date.String(), platform, metric, threshold, rank}, thingLinks("subject", subjects))
	if err != nil {
		return err
	}
	return l.children("record_subjects", "record_id", "subject_id", id, fresh, subjects)
}

func parseStoredDate(text string) domain.Date {
	if text == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(text)
	if err != nil {
		return domain.Date{}
	}
	return d
}

// scanStrings reads a one-column result of text.
func scanStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
