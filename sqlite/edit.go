package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/artistgraph/artistgraph/domain"
)

// errUnchanged ends an edit that would change nothing: nothing is written
// or recorded.
var errUnchanged = errors.New("unchanged")

// Edit makes one change to the graph in one transaction: it checks the
// node's revision, checks the result with the same validator fixture loads
// use, writes it and records it in the history, or, on any problem, writes
// nothing. It returns the changes recorded (several when a delete cascades;
// none when the edit changes nothing) and hands them to subscribers.
func (db *DB) Edit(ctx context.Context, e domain.Edit) ([]domain.Change, error) {
	if strings.TrimSpace(e.Actor) == "" {
		return nil, domain.Errorf(domain.EUNAUTHENTICATED, "an edit needs an actor: say who makes it")
	}
	if err := e.Check(); err != nil {
		return nil, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, storageError(err)
	}
	defer func() { _ = tx.Rollback() }()
	l := &loader{ctx: ctx, tx: tx, ids: map[domain.Kind]map[string]int64{}, stmts: map[string]*sql.Stmt{}}
	defer l.closeStatements()
	if err := l.prepare(false); err != nil {
		return nil, err
	}
	ed := &editor{ctx: ctx, view: db.within(l), l: l, edit: e, at: time.Now().UTC()}
	switch e.Action {
	case domain.ActionCreate:
		err = ed.create()
	case domain.ActionUpdate:
		err = ed.update()
	case domain.ActionDelete:
		err = ed.delete()
	case domain.ActionRevert:
		err = ed.revert()
	default:
		err = domain.Errorf(domain.EINVALID, "%q is not an edit: create, update, delete or revert", e.Action)
	}
	if errors.Is(err, errUnchanged) {
		return nil, nil
	}
	if err != nil {
		return nil, storageError(err)
	}
	if err := ed.readBack(); err != nil {
		return nil, storageError(err)
	}
	if err := l.releaseIDs(); err != nil {
		return nil, storageError(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, storageError(err)
	}
	db.feed.notify()
	return ed.changes, nil
}

// editor carries out one Edit inside its transaction.
type editor struct {
	ctx     context.Context
	view    *DB // reads inside the transaction
	l       *loader
	edit    domain.Edit
	at      time.Time
	changes []domain.Change
}

func (ed *editor) exec(query string, args ...any) error { return ed.l.exec(query, args...) }

// readBack reads each node the edit wrote, in its transaction, into its
// change.
func (ed *editor) readBack() error {
	var ids []int64
	for _, c := range ed.changes {
		if c.After != nil {
			ids = append(ids, c.NodeID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	nodes, err := ed.view.Nodes(ed.ctx, ids)
	if err != nil {
		return err
	}
	names, err := ed.view.Names(ed.ctx, ids)
	if err != nil {
		return err
	}
	i := 0
	for j := range ed.changes {
		if ed.changes[j].After != nil {
			ed.changes[j].Node, ed.changes[j].Names = nodes[i], names[ed.changes[j].NodeID]
			i++
		}
	}
	return nil
}

// current reads a node's draft inside the transaction; a nil node when
// there is none.
func (ed *editor) current(id int64) (domain.Node, domain.Draft, error) {
	return ed.view.Draft(ed.ctx, id)
}

func describe(kind domain.Kind, id int64) string {
	return strings.ToLower(string(kind)) + " " + domain.GlobalID(kind, id)
}

func kindOf(n domain.Node) domain.Kind {
	if n == nil {
		return ""
	}
	return n.NodeKind()
}

// found refuses an edit of a node that does not exist, or is not of the
// kind the edit's ID says (an ID is a kind and a number).
func (ed *editor) found(exists bool, kind domain.Kind) error {
	if !exists || (ed.edit.Kind != "" && ed.edit.Kind != kind) {
		return domain.Errorf(domain.ENOTFOUND, "nothing has the ID %s", domain.GlobalID(cmp.Or(ed.edit.Kind, kind), ed.edit.ID))
	}
	return nil
}

func (ed *editor) checkRevision(kind domain.Kind, id int64, revision int) error {
	if ed.edit.Revision != revision {
		return domain.Errorf(domain.ECONFLICT, "%s is at revision %d, not %d: it changed since it was read; read it again and redo the edit",
			describe(kind, id), revision, ed.edit.Revision)
	}
	return nil
}

func (ed *editor) create() error {
	kind := ed.edit.Kind
	ed.l.target = &target{}
	if err := ed.write(kind, domain.Draft{}.Merge(ed.edit.Patch), nil); err != nil {
		return err
	}
	return ed.recordWrite(ed.l.target.id, kind, 1, domain.ActionCreate, ed.edit.Summary, nil)
}

func (ed *editor) update() error {
	node, before, err := ed.current(ed.edit.ID)
	if err != nil {
		return err
	}
	if err := ed.found(node != nil, kindOf(node)); err != nil {
		return err
	}
	kind := node.NodeKind()
	if err := ed.checkRevision(kind, ed.edit.ID, node.NodeRevision()); err != nil {
		return err
	}
	ed.l.target = &target{id: ed.edit.ID, exists: true}
	if err := ed.write(kind, before.Merge(ed.edit.Patch), before); err != nil {
		return err
	}
	return ed.recordWrite(ed.edit.ID, kind, node.NodeRevision()+1, domain.ActionUpdate, ed.edit.Summary, before)
}

// recordWrite gives a node just written its revision and records the
// change, reading back what was stored; a change that stored nothing new
// is errUnchanged.
func (ed *editor) recordWrite(id int64, kind domain.Kind, revision int, action, summary string, before domain.Draft) error {
	_, after, err := ed.current(id)
	if err != nil {
		return err
	}
	if before != nil && reflect.DeepEqual(before, after) {
		return errUnchanged
	}
	// The revision is raised only from the one the edit read (a row just
	// written as new holds the default, 1): a writer that raised it
	// meanwhile makes this a conflict, not a lost update.
	read := revision - 1
	if before == nil {
		read = 1
	}
	res, err := ed.l.tx.ExecContext(ed.ctx, `UPDATE nodes SET revision = ? WHERE id = ? AND revision = ?`, revision, id, read)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return domain.Errorf(domain.ECONFLICT, "%s changed while this edit was written: read it again and redo the edit", describe(kind, id))
	}
	return ed.record(id, kind, revision, action, summary, before, after)
}

func (ed *editor) record(id int64, kind domain.Kind, revision int, action, summary string, before, after domain.Draft) error {
	c := domain.Change{NodeID: id, Kind: kind, Revision: revision, Action: action, Actor: ed.edit.Actor, At: ed.at,
		Summary: domain.Text(summary), Before: before, After: after}
	s, err := ed.l.stmt(`INSERT INTO changes (node_id, kind, revision, action, actor, at, summary, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	res, err := s.ExecContext(ed.ctx, id, string(kind), revision, action, c.Actor, c.At.Format(time.RFC3339Nano), summary, draftText(before), draftText(after))
	if err != nil {
		return err
	}
	if c.Seq, err = res.LastInsertId(); err != nil {
		return err
	}
	ed.changes = append(ed.changes, c)
	return nil
}

func draftText(d domain.Draft) string {
	if d == nil {
		return ""
	}
	b, err := json.Marshal(d)
	if err != nil {
		return ""
	}
	return string(b)
}

func parseDraft(text string) (domain.Draft, error) {
	if text == "" {
		return nil, nil
	}
	var d domain.Draft
	return d, json.Unmarshal([]byte(text), &d)
}

// item turns a draft into the fixture item the loader and validator take:
// the document itself, or, for a fact written inside a thing, the holding
// thing's document with this fact as its only one.
func (ed *editor) item(kind domain.Kind, d domain.Draft) (any, error) {
	doc, err := d.Doc(kind)
	if err != nil {
		return nil, err
	}
	holderKind, slug, held := d.Holder(kind)
	if !held {
		return doc, nil
	}
	var problems domain.Problems
	field := "input." + strings.ToLower(string(holderKind))
	if kind == domain.KindCredit {
		field = "input.song"
		if d["song"] != nil && d["album"] != nil {
			problems.Add("", "input", "names both a song and an album; a credit is on one work")
		}
	}
	if slug == "" {
		problems.Add("", field, "is required")
		return nil, problems.Err()
	}
	holderID, err := ed.l.slugID(holderKind, slug)
	if err != nil {
		return nil, err
	}
	if holderID == 0 {
		problems.Add("", field, "no %s has the slug %q", strings.ToLower(string(holderKind)), slug)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	nodes, err := ed.view.Nodes(ed.ctx, []int64{holderID})
	if err != nil {
		return nil, err
	}
	x := &exporter{ctx: ed.ctx, db: ed.view, refs: map[int64]thingRef{}}
	holder, err := x.thingDoc(nodes[0].(domain.AnyThing), nil)
	if err != nil {
		return nil, err
	}
	if c, ok := doc.(*domain.CreditDoc); ok {
		if c.Position = d.Position(); c.Position <= 0 {
			// Appending takes the work's row first, so that concurrent
			// appends to one work (on a database with row locks) read
			// each other's positions instead of taking the same one.
			if err := ed.exec(`UPDATE nodes SET revision = revision WHERE id = ?`, holderID); err != nil {
				return nil, err
			}
			if err := ed.view.read.QueryRowContext(ed.ctx, `SELECT coalesce(max(position), 0) + 1 FROM credits WHERE work_id = ?`, holderID).Scan(&c.Position); err != nil {
				return nil, err
			}
		}
	}
	return holder, domain.Hold(holder, doc)
}

// write checks a node's new draft and writes it onto the loader's target.
// before is the node's draft before the edit, nil when it is new.
func (ed *editor) write(kind domain.Kind, d domain.Draft, before domain.Draft) error {
	item, err := ed.item(kind, d)
	if err != nil {
		return err
	}
	l := ed.l
	v := domain.NewValidator(l)
	_, thing := domain.ItemThing(item)
	if !kind.IsThing() {
		v.Facts(item)
		if err := v.Err(); err != nil {
			return err
		}
		return l.heldFacts(item)
	}
	var old domain.Known
	if before != nil {
		if old, _, err = l.Known(kind, fmt.Sprint(before["slug"])); err != nil {
			return err
		}
	}
	v.Thing(item)
	if err := v.Err(); err != nil {
		return err
	}
	if err := l.thing(kind, item, thing); err != nil {
		return err
	}
	v.Facts(item)
	if err := v.Err(); err != nil {
		return err
	}
	if err := l.thingSources(item); err != nil {
		return err
	}
	now, _, err := l.Known(kind, thing.Slug)
	if err != nil || before == nil {
		return err
	}
	// Facts may only come after the dates of what they join, so a date
	// that moves earlier (or goes) cannot break one; one that moves later
	// or is newly given may.
	later := !now.Date.IsZero() && now.Date != old.Date && (old.Date.IsZero() || !now.Date.Before(old.Date))
	if later || (kind == domain.KindGroup && before["disbanded"] != d["disbanded"]) {
		return ed.recheck(kind, l.target.id)
	}
	return nil
}

// datedBy lists, for each kind of thing, the kinds of fact the validator
// checks against its dates: an act's birth or formation (and a group's
// disbanding), a work's release, an event's start.
var datedBy = map[domain.Kind][]domain.Kind{
	domain.KindArtist: {domain.KindMembership, domain.KindAwardResult, domain.KindPerformance},
	domain.KindGroup:  {domain.KindMembership, domain.KindAwardResult, domain.KindPerformance},
	domain.KindSong:   {domain.KindChartRun, domain.KindMilestone, domain.KindAwardResult},
	domain.KindAlbum:  {domain.KindChartRun, domain.KindMilestone, domain.KindAwardResult},
	domain.KindEvent:  {domain.KindPerformance},
}

// recheck validates again the facts that a thing's dates bear on, when
// they changed, so that moving a birth or a release cannot leave a fact
// dated before it.
func (ed *editor) recheck(kind domain.Kind, id int64) error {
	kinds := datedBy[kind]
	if len(kinds) == 0 {
		return nil
	}
	facts, err := ed.ids(`SELECT DISTINCT l.fact_id FROM fact_links l JOIN nodes n ON n.id = l.fact_id
		WHERE l.thing_id = ? AND n.kind `+inList+` ORDER BY l.fact_id`, id, textList(kinds))
	if err != nil {
		return err
	}
	var problems domain.Problems
	// Nothing but the thing itself changes during the check: what the
	// stored graph knows can be remembered across the facts.
	known := knownCache{stored: ed.l, seen: map[knownKey]knownAnswer{}}
	for _, fact := range facts {
		node, d, err := ed.current(fact)
		if err != nil {
			return err
		}
		item, err := ed.item(node.NodeKind(), d)
		if err != nil {
			return err
		}
		v := domain.NewValidator(known)
		v.Facts(item)
		var found *domain.Problems
		if err := v.Err(); errors.As(err, &found) {
			for _, p := range *found {
				problems.Add("", "input", "%s would no longer hold: %s: %s", describe(node.NodeKind(), fact), strings.TrimPrefix(p.Path, "input."), p.Why)
			}
		} else if err != nil {
			return err
		}
	}
	return problems.Err()
}

type knownKey struct {
	kind domain.Kind
	slug string
}

type knownAnswer struct {
	known domain.Known
	ok    bool
}

// knownCache remembers a validator's questions to the stored graph.
type knownCache struct {
	stored domain.Stored
	seen   map[knownKey]knownAnswer
}

func (c knownCache) Known(kind domain.Kind, slug string) (domain.Known, bool, error) {
	key := knownKey{kind, slug}
	if a, ok := c.seen[key]; ok {
		return a.known, a.ok, nil
	}
	k, ok, err := c.stored.Known(kind, slug)
	if err == nil {
		c.seen[key] = knownAnswer{k, ok}
	}
	return k, ok, err
}

func (ed *editor) ids(query string, args ...any) ([]int64, error) {
	rows, err := ed.view.read.QueryContext(ed.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (ed *editor) delete() error {
	node, _, err := ed.current(ed.edit.ID)
	if err != nil {
		return err
	}
	if err := ed.found(node != nil, kindOf(node)); err != nil {
		return err
	}
	if err := ed.checkRevision(node.NodeKind(), ed.edit.ID, node.NodeRevision()); err != nil {
		return err
	}
	return ed.deleteNode(node, domain.ActionDelete, ed.edit.Summary)
}

// deleteNode deletes a node, and with Cascade what refers to it: the facts
// that join a thing are deleted; a node citing a source loses the citation,
// and a fact left citing nothing is deleted. Without Cascade, a thing
// anything refers to is refused, saying what refers to it.
func (ed *editor) deleteNode(node domain.Node, action, summary string) error {
	id, kind := ed.edit.ID, node.NodeKind()
	if kind.IsThing() {
		facts, err := ed.ids(`SELECT fact_id FROM fact_links WHERE thing_id = ? UNION SELECT id FROM records WHERE ranking_platform_id = ? ORDER BY 1`, id, id)
		if err != nil {
			return err
		}
		citing, err := ed.ids(`SELECT node_id FROM citations WHERE source_id = ? ORDER BY node_id`, id)
		if err != nil {
			return err
		}
		if len(facts)+len(citing) > 0 && !ed.edit.Cascade {
			what, err := ed.count(append(facts, citing...))
			if err != nil {
				return err
			}
			return domain.Errorf(domain.ECONFLICT, "%s %q is referred to by %s: delete those first, or delete with cascade to delete them with it",
				strings.ToLower(string(kind)), node.(domain.AnyThing).NodeName(), what)
		}
		why := fmt.Sprintf("deleted with %s %q", strings.ToLower(string(kind)), node.(domain.AnyThing).NodeName())
		if summary != "" {
			why = summary + " (" + why + ")"
		}
		for _, fact := range facts {
			if err := ed.remove(fact, domain.ActionDelete, why); err != nil {
				return err
			}
		}
		for _, citer := range citing {
			if err := ed.uncite(citer, id, why); err != nil {
				return err
			}
		}
	}
	return ed.remove(id, action, summary)
}

// count says how many nodes of each kind ids holds ("2 memberships, 1 credit").
func (ed *editor) count(ids []int64) (string, error) {
	byKind := map[string]int{}
	for _, id := range ids {
		var kind string
		if err := ed.view.read.QueryRowContext(ed.ctx, `SELECT kind FROM nodes WHERE id = ?`, id).Scan(&kind); err != nil {
			return "", err
		}
		byKind[strings.ToLower(kind)]++
	}
	var parts []string
	for kind, n := range byKind {
		if n > 1 {
			kind += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, kind))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", "), nil
}

// remove deletes one node (already gone is fine: a cascade may reach a fact
// twice) and records it.
func (ed *editor) remove(id int64, action, summary string) error {
	node, before, err := ed.current(id)
	if err != nil || node == nil {
		return err
	}
	if err := ed.exec(`DELETE FROM nodes WHERE id = ?`, id); err != nil {
		return err
	}
	if node.NodeKind().IsThing() {
		if err := dropSearchRows(ed.exec, id); err != nil {
			return err
		}
	}
	return ed.record(id, node.NodeKind(), node.NodeRevision()+1, action, summary, before, nil)
}

// uncite takes a deleted source out of what a node cites; a fact left
// citing nothing goes too, since a fact must cite a source.
func (ed *editor) uncite(id, source int64, summary string) error {
	node, before, err := ed.current(id)
	if err != nil || node == nil {
		return err
	}
	if err := ed.exec(`DELETE FROM citations WHERE node_id = ? AND source_id = ?`, id, source); err != nil {
		return err
	}
	left, err := ed.ids(`SELECT source_id FROM citations WHERE node_id = ?`, id)
	if err != nil {
		return err
	}
	if len(left) == 0 && !node.NodeKind().IsThing() {
		return ed.remove(id, domain.ActionDelete, summary)
	}
	return ed.recordWrite(id, node.NodeKind(), node.NodeRevision()+1, domain.ActionUpdate, summary, before)
}

func (ed *editor) revert() error {
	id, to := ed.edit.ID, ed.edit.To
	node, current, err := ed.current(id)
	if err != nil {
		return err
	}
	var kind domain.Kind
	var revision int
	if node != nil {
		kind, revision = node.NodeKind(), node.NodeRevision()
	} else {
		err := ed.view.read.QueryRowContext(ed.ctx, `SELECT kind, revision FROM changes WHERE node_id = ? ORDER BY revision DESC LIMIT 1`, id).Scan(&kind, &revision)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if err := ed.found(kind != "", kind); err != nil {
		return err
	}
	if err := ed.checkRevision(kind, id, revision); err != nil {
		return err
	}
	if to == revision {
		return domain.Errorf(domain.EINVALID, "%s is at revision %d already", describe(kind, id), to)
	}
	state, err := ed.stateAt(kind, id, to)
	if err != nil {
		return err
	}
	summary := ed.edit.Summary
	if summary == "" {
		summary = fmt.Sprintf("revert to revision %d", to)
	}
	switch {
	case state == nil && node == nil:
		return domain.Errorf(domain.EINVALID, "%s did not exist at revision %d and does not now", describe(kind, id), to)
	case state == nil:
		ed.edit.Cascade = false
		return ed.deleteNode(node, domain.ActionRevert, summary)
	}
	ed.l.target = &target{id: id, exists: node != nil}
	if err := ed.write(kind, state, current); err != nil {
		return err
	}
	return ed.recordWrite(id, kind, revision+1, domain.ActionRevert, summary, current)
}

// stateAt reads a node's draft as it was at a revision from the history:
// what the change to that revision left, or what the next change found.
// A nil draft means the node did not exist then.
func (ed *editor) stateAt(kind domain.Kind, id int64, revision int) (domain.Draft, error) {
	var text, redacted string
	err := ed.view.read.QueryRowContext(ed.ctx, `SELECT after, redacted_at FROM changes WHERE node_id = ? AND revision = ?`, id, revision).Scan(&text, &redacted)
	if err == nil && redacted != "" {
		return nil, domain.Errorf(domain.ECONFLICT, "revision %d of %s was redacted: its content is gone", revision, describe(kind, id))
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = ed.view.read.QueryRowContext(ed.ctx, `SELECT before FROM changes WHERE node_id = ? AND revision = ?`, id, revision+1).Scan(&text)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "the history of %s does not hold revision %d", describe(kind, id), revision)
	}
	if err != nil {
		return nil, err
	}
	return parseDraft(text)
}
