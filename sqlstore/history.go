package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/artistgraph/artistgraph/domain"
)

// History pages through the changes recorded for one node, newest first.
// It works for deleted nodes too, whose history is kept. The page holds
// change sequence numbers; Changes reads them.
func (db *DB) History(ctx context.Context, id int64, p domain.PageArgs) (domain.Page, error) {
	return db.page(ctx, listQuery{body: `SELECT seq AS id, revision AS key FROM changes WHERE node_id = ?`, args: []any{id}, desc: true}, p)
}

// RecentChanges pages through every change across the graph, newest first.
func (db *DB) RecentChanges(ctx context.Context, f domain.ChangeFilter, p domain.PageArgs) (domain.Page, error) {
	body := `SELECT seq AS id, seq AS key FROM changes WHERE TRUE`
	var args []any
	if f.Actor != "" {
		body += ` AND actor = ?`
		args = append(args, f.Actor)
	}
	if len(f.Kinds) > 0 {
		body += ` AND kind ` + inTexts
		args = append(args, textList(f.Kinds))
	}
	return db.page(ctx, listQuery{body: body, args: args, desc: true}, p)
}

// Changes reads changes by sequence number, in the order asked.
func (db *DB) Changes(ctx context.Context, seqs []int64) ([]*domain.Change, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT seq, node_id, kind, revision, action, actor, at, summary, before, after,
		redacted_by, redacted_at, redacted_reason FROM changes WHERE seq `+inList, idList(seqs))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[int64]*domain.Change{}
	for rows.Next() {
		var c domain.Change
		var at, before, after, redactedAt string
		var r domain.Redaction
		if err := rows.Scan(&c.Seq, &c.NodeID, &c.Kind, &c.Revision, &c.Action, &c.Actor, &at, &c.Summary, &before, &after,
			&r.By, &redactedAt, &r.Reason); err != nil {
			return nil, err
		}
		if redactedAt != "" {
			if r.At, err = time.Parse(time.RFC3339Nano, redactedAt); err != nil {
				return nil, err
			}
			c.Redacted = &r
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

// Redact removes the content of one recorded revision of a node from the
// history, for content that must not stay readable (deleted on purpose,
// planted): the revision's summary and the node as it stood at that
// revision, both in the change that made it and in the next change's
// "before". The change itself stays, marked with who redacted it, when and
// why. A node's live content is not touched: edit or delete it first.
func (db *DB) Redact(ctx context.Context, id int64, revision int, actor, reason string) (*domain.Change, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, domain.Errorf(domain.EINVALID, "reason: say why the revision is redacted")
	}
	if n := utf8.RuneCountInString(reason); n > domain.MaxText {
		return nil, domain.Errorf(domain.EINVALID, "reason: is %d characters long; at most %d", n, domain.MaxText)
	}
	var seq int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var current int
		err := tx.QueryRowContext(ctx, `SELECT seq FROM changes WHERE node_id = ? AND revision = ?`, id, revision).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "the history of node %d holds no revision %d", id, revision)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT revision FROM nodes WHERE id = ?), 0)`, id).Scan(&current); err != nil {
			return err
		}
		if current == revision {
			return domain.Errorf(domain.ECONFLICT, "revision %d is the node's current content: edit or delete the node first, then redact the revision", revision)
		}
		at := time.Now().UTC().Format(time.RFC3339Nano)
		if _, err := tx.ExecContext(ctx, `UPDATE changes SET after = '', summary = '', redacted_by = ?, redacted_at = ?, redacted_reason = ?
			WHERE node_id = ? AND revision = ?`, actor, at, reason, id, revision); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE changes SET before = '' WHERE node_id = ? AND revision = ?`, id, revision+1)
		return err
	})
	if err != nil {
		return nil, err
	}
	db.committed(ctx)
	changes, err := db.Changes(ctx, []int64{seq})
	if err != nil || len(changes) == 0 {
		return nil, err
	}
	return changes[0], nil
}
