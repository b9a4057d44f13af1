package sqlite

import (
	"context"
	"time"

	"github.com/artistgraph/artistgraph/domain"
)

// History pages through the changes recorded for one node, newest first.
// It works for deleted nodes too, whose history is kept. The page holds
// change sequence numbers; Changes reads them.
func (db *DB) History(ctx context.Context, id int64, p domain.PageArgs) (domain.Page, error) {
	return db.page(ctx, listQuery{body: `SELECT seq AS id, revision AS key FROM changes WHERE node_id = ?`, args: []any{id}, desc: true}, p)
}

// ChangeFilter narrows the recent-changes feed.
type ChangeFilter struct {
	// Actor keeps one editor's changes; all when empty.
	Actor string
	// Kinds keeps changes to nodes of these kinds; all when empty.
	Kinds []domain.Kind
}

// RecentChanges pages through every change across the graph, newest first.
func (db *DB) RecentChanges(ctx context.Context, f ChangeFilter, p domain.PageArgs) (domain.Page, error) {
	body := `SELECT seq AS id, seq AS key FROM changes WHERE 1`
	var args []any
	if f.Actor != "" {
		body += ` AND actor = ?`
		args = append(args, f.Actor)
	}
	if len(f.Kinds) > 0 {
		body += ` AND kind IN (` + placeholders(len(f.Kinds)) + `)`
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	}
	return db.page(ctx, listQuery{body: body, args: args, desc: true}, p)
}

// Changes reads changes by sequence number, in the order asked.
func (db *DB) Changes(ctx context.Context, seqs []int64) ([]*domain.Change, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT seq, node_id, kind, revision, action, actor, at, summary, before, after FROM changes WHERE seq IN (`+placeholders(len(seqs))+`)`, int64Args(seqs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[int64]*domain.Change{}
	for rows.Next() {
		var c domain.Change
		var at, before, after string
		if err := rows.Scan(&c.Seq, &c.NodeID, &c.Kind, &c.Revision, &c.Action, &c.Actor, &at, &c.Summary, &before, &after); err != nil {
			return nil, err
		}
		if c.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, err
		}
		if c.Before, err = parseDraft(before); err != nil {
			return nil, err
		}
		if c.After, err = parseDraft(after); err != nil {
			return nil, err
		}
		found[c.Seq] = &c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*domain.Change, 0, len(seqs))
	for _, s := range seqs {
		if c := found[s]; c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}
