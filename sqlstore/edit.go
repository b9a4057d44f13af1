package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/artistgraph/artistgraph/domain"
)

// Edit makes one change to the graph in one transaction, by the edit
// policy (domain.ApplyEdit): it writes nothing on any problem, and nothing
// when the edit changes nothing. It returns the changes recorded (several
// when a delete cascades) and hands them to subscribers.
func (db *DB) Edit(ctx context.Context, e domain.Edit) ([]domain.Change, error) {
	if err := e.Ready(); err != nil {
		return nil, err
	}
	tx, err := db.beginWrite(ctx, db.write.BeginTx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	l := newWriter(ctx, db.eng, tx)
	defer l.closeStatements()
	changes, err := domain.ApplyEdit(&editTx{ctx: ctx, view: db.within(l), l: l}, e, time.Now().UTC())
	if errors.Is(err, domain.ErrUnchanged) {
		return nil, nil
	}
	if err == nil {
		err = l.releaseIDs()
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return nil, db.eng.storageError(err)
	}
	db.committed(ctx)
	return changes, nil
}

// editTx is an edit's write transaction, as the edit policy uses it
// (domain.EditTx): the writer writes, view reads what it wrote.
type editTx struct {
	ctx  context.Context
	view *DB
	l    *writer
}

var _ domain.EditTx = (*editTx)(nil)

func (t *editTx) Known(kind domain.Kind, slug string) (domain.Known, bool, error) {
	return t.l.Known(kind, slug)
}

func (t *editTx) Named(kind domain.Kind, name string) ([]string, error) {
	return t.l.Named(kind, name)
}

func (t *editTx) Similar(kind domain.Kind, slug string) (string, error) {
	return t.l.Similar(kind, slug)
}

func (t *editTx) Identified(scheme, value string) (domain.Kind, string, error) {
	return t.l.Identified(scheme, value)
}

func (t *editTx) Draft(id int64) (domain.Node, domain.Draft, error) { return t.view.Draft(t.ctx, id) }

func (t *editTx) LastChange(id int64) (domain.Kind, int, error) {
	var kind domain.Kind
	var revision int
	err := t.view.read.QueryRowContext(t.ctx, `SELECT kind, revision FROM changes WHERE node_id = ? ORDER BY revision DESC LIMIT 1`, id).Scan(&kind, &revision)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return kind, revision, err
}

func (t *editTx) StateAt(kind domain.Kind, id int64, revision int) (domain.Draft, error) {
	var text, redacted string
	err := t.view.read.QueryRowContext(t.ctx, `SELECT after, redacted_at FROM changes WHERE node_id = ? AND revision = ?`, id, revision).Scan(&text, &redacted)
	if err == nil && redacted != "" {
		return nil, domain.Errorf(domain.ECONFLICT, "revision %d of %s was redacted: its content is gone", revision, describe(kind, id))
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = t.view.read.QueryRowContext(t.ctx, `SELECT before FROM changes WHERE node_id = ? AND revision = ?`, id, revision+1).Scan(&text)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "the history of %s does not hold revision %d", describe(kind, id), revision)
	}
	if err != nil {
		return nil, err
	}
	return parseDraft(text)
}

func describe(kind domain.Kind, id int64) string {
	return strings.ToLower(string(kind)) + " " + domain.GlobalID(kind, id)
}

func (t *editTx) Holder(kind domain.Kind, slug string) (int64, any, error) {
	id, err := t.l.slugID(kind, slug)
	if err != nil || id == 0 {
		return 0, nil, err
	}
	nodes, err := t.view.Nodes(t.ctx, []int64{id})
	if err != nil {
		return 0, nil, err
	}
	x := &documents{ctx: t.ctx, db: t.view, refs: map[int64]thingRef{}}
	doc, err := x.thingDoc(nodes[0].(domain.AnyThing), nil)
	return id, doc, err
}

func (t *editTx) NextPosition(work int64) (int, error) {
	// Taking the work's row first makes concurrent appends to one work (on
	// a database with row locks) read each other's positions instead of
	// taking the same one.
	if err := t.l.exec(`UPDATE nodes SET revision = revision WHERE id = ?`, work); err != nil {
		return 0, err
	}
	var next int
	err := t.view.read.QueryRowContext(t.ctx, `SELECT coalesce(max(position), 0) + 1 FROM credits WHERE work_id = ?`, work).Scan(&next)
	return next, err
}

func (t *editTx) Target(id int64, exists bool) { t.l.target = &target{id: id, exists: exists} }

func (t *editTx) TargetID() int64 { return t.l.target.id }

func (t *editTx) WriteThing(kind domain.Kind, item any) error {
	_, thing := domain.ItemThing(item)
	return t.l.thing(kind, item, thing)
}

func (t *editTx) WriteSources(item any) error {
	if err := t.l.thingSources(item); err != nil {
		return err
	}
	return t.l.thingLinks(item)
}

func (t *editTx) WriteFacts(item any) error { return t.l.heldFacts(item) }

func (t *editTx) FactsOf(thing int64, kinds []domain.Kind) ([]int64, error) {
	return t.ids(`SELECT DISTINCT l.fact_id FROM fact_links l JOIN nodes n ON n.id = l.fact_id
		WHERE l.thing_id = ? AND n.kind `+inTexts+` ORDER BY l.fact_id`, thing, textList(kinds))
}

func (t *editTx) References(thing int64) (facts, citing []int64, err error) {
	facts, err = t.ids(`SELECT fact_id FROM fact_links WHERE thing_id = ? UNION SELECT id FROM records WHERE ranking_platform_id = ? ORDER BY 1`, thing, thing)
	if err != nil {
		return nil, nil, err
	}
	citing, err = t.ids(`SELECT node_id FROM citations WHERE source_id = ? ORDER BY node_id`, thing)
	return facts, citing, err
}

func (t *editTx) Kinds(ids []int64) ([]domain.Kind, error) {
	out := make([]domain.Kind, len(ids))
	for i, id := range ids {
		if err := t.view.read.QueryRowContext(t.ctx, `SELECT kind FROM nodes WHERE id = ?`, id).Scan(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *editTx) Remove(id int64, kind domain.Kind) error {
	if err := t.l.exec(`DELETE FROM nodes WHERE id = ?`, id); err != nil {
		return err
	}
	if kind.IsThing() {
		return dropSearchRows(t.l.exec, id)
	}
	return nil
}

func (t *editTx) Uncite(id, source int64) (int, error) {
	if err := t.l.exec(`DELETE FROM citations WHERE node_id = ? AND source_id = ?`, id, source); err != nil {
		return 0, err
	}
	var left int
	err := t.view.read.QueryRowContext(t.ctx, `SELECT count(*) FROM citations WHERE node_id = ?`, id).Scan(&left)
	return left, err
}

func (t *editTx) RaiseRevision(id int64, from, to int) (bool, error) {
	res, err := t.l.tx.ExecContext(t.ctx, `UPDATE nodes SET revision = ? WHERE id = ? AND revision = ?`, to, id, from)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *editTx) Record(c *domain.Change) error {
	s, err := t.l.stmt(`INSERT INTO changes (node_id, kind, revision, action, actor, at, summary, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`)
	if err != nil {
		return err
	}
	return s.QueryRowContext(t.ctx, c.NodeID, string(c.Kind), c.Revision, c.Action, c.Actor, c.At.Format(time.RFC3339Nano), string(c.Summary), draftText(c.Before), draftText(c.After)).Scan(&c.Seq)
}

func (t *editTx) Names(ids []int64) (map[int64][]*domain.Name, error) {
	return t.view.Names(t.ctx, ids)
}

func (t *editTx) ids(query string, args ...any) ([]int64, error) {
	rows, err := t.view.read.QueryContext(t.ctx, query, args...)
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
