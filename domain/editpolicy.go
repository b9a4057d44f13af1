package domain

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
)

// The edit policy: what creating, updating, deleting and reverting a node
// means, whatever store keeps it. A store runs ApplyEdit inside one write
// transaction, through EditTx, and commits only when it returns no error.

// EditTx is one write transaction of a store as the edit policy uses it:
// its reads see what the transaction has written.
type EditTx interface {
	// Stored answers the validator's questions about stored things.
	Stored
	// Draft reads a node as a draft; a nil node when there is none.
	Draft(id int64) (Node, Draft, error)
	// LastChange is the kind and revision of a node's newest change (a
	// deleted node's too); "" when its history is empty.
	LastChange(id int64) (Kind, int, error)
	// StateAt is a node's draft at a revision of its history: what the
	// change to that revision left, or what the next change found; nil
	// when the node did not exist then. A redacted revision is ECONFLICT,
	// one the history does not hold ENOTFOUND.
	StateAt(kind Kind, id int64, revision int) (Draft, error)
	// Holder reads the thing a held fact is written in, as its document
	// without its facts; 0 and nil when no thing of the kind has the slug.
	Holder(kind Kind, slug string) (int64, any, error)
	// NextPosition takes a work (so that concurrent appends wait for one
	// another) and returns the billing position after its last credit.
	NextPosition(work int64) (int, error)
	// Target makes the next writes go onto one node: id 0 creates one,
	// exists false writes it anew under id (a revert of a delete). It
	// returns the node's ID once written (see WriteThing, WriteFacts).
	Target(id int64, exists bool)
	TargetID() int64
	// WriteThing writes a thing's own row and names; WriteSources the
	// sources it cites and the other things it names (a group's formedOn
	// event), once the validator has found them; WriteFacts the facts an item holds or is. Each
	// takes an item the validator has passed.
	WriteThing(kind Kind, item any) error
	WriteSources(item any) error
	WriteFacts(item any) error
	// FactsOf lists the facts of these kinds that join a thing.
	FactsOf(thing int64, kinds []Kind) ([]int64, error)
	// References lists what refers to a thing: the facts that join it (or
	// name it otherwise, as a ranking names its platform) and the nodes
	// that cite it.
	References(thing int64) (facts, citing []int64, err error)
	// Kinds reads the kinds of nodes.
	Kinds(ids []int64) ([]Kind, error)
	// Remove deletes a node, and a thing from the search index.
	Remove(id int64, kind Kind) error
	// Uncite takes a source out of what a node cites and returns how many
	// sources it still cites.
	Uncite(id, source int64) (int, error)
	// RaiseRevision sets a node's revision to to, only if it is from:
	// false when another writer moved it meanwhile.
	RaiseRevision(id int64, from, to int) (bool, error)
	// Record writes a change to the history and gives it its Seq.
	Record(c *Change) error
	// Names reads the names of things, for the changes made.
	Names(ids []int64) (map[int64][]*Name, error)
}

// ErrUnchanged ends an edit that would change nothing: the store writes
// nothing and records nothing.
var ErrUnchanged = errors.New("unchanged")

// ApplyEdit carries out one edit in tx: it checks the node's revision,
// checks the result with the same validator fixture loads use, writes it
// and records it in the history. It returns the changes recorded (several
// when a delete cascades), each with the node as written; ErrUnchanged when
// the edit changes nothing.
func ApplyEdit(tx EditTx, e Edit, at time.Time) ([]Change, error) {
	if err := e.Ready(); err != nil {
		return nil, err
	}
	ed := &editing{tx: tx, edit: e, at: at}
	var err error
	switch e.Action {
	case ActionCreate:
		err = ed.create()
	case ActionUpdate:
		err = ed.update()
	case ActionDelete:
		err = ed.delete()
	case ActionRevert:
		err = ed.revert()
	default:
		err = Errorf(EINVALID, "%q is not an edit: create, update, delete or revert", e.Action)
	}
	if err != nil {
		return nil, err
	}
	return ed.changes, ed.readBack()
}

// Ready checks what an edit says on its own, before any store is asked:
// who makes it, and that its action has what it needs.
func (e Edit) Ready() error {
	if strings.TrimSpace(e.Actor) == "" {
		return Errorf(EUNAUTHENTICATED, "an edit needs an actor: say who makes it")
	}
	return e.Check()
}

// editing carries out one Edit.
type editing struct {
	tx      EditTx
	edit    Edit
	at      time.Time
	changes []Change
}

// readBack reads the names of each node the edit wrote into its change
// (the node itself was read as the change was recorded).
func (ed *editing) readBack() error {
	var ids []int64
	for _, c := range ed.changes {
		if c.After != nil {
			ids = append(ids, c.NodeID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names, err := ed.tx.Names(ids)
	if err != nil {
		return err
	}
	for j := range ed.changes {
		if ed.changes[j].After != nil {
			ed.changes[j].Names = names[ed.changes[j].NodeID]
		}
	}
	return nil
}

func describe(kind Kind, id int64) string {
	return strings.ToLower(string(kind)) + " " + GlobalID(kind, id)
}

func kindOf(n Node) Kind {
	if n == nil {
		return ""
	}
	return n.NodeKind()
}

// found refuses an edit of a node that does not exist, or is not of the
// kind the edit's ID says (an ID is a kind and a number).
func (ed *editing) found(exists bool, kind Kind) error {
	if !exists || (ed.edit.Kind != "" && ed.edit.Kind != kind) {
		return Errorf(ENOTFOUND, "nothing has the ID %s", GlobalID(cmp.Or(ed.edit.Kind, kind), ed.edit.ID))
	}
	return nil
}

func (ed *editing) checkRevision(kind Kind, id int64, revision int) error {
	if ed.edit.Revision != revision {
		return Errorf(ECONFLICT, "%s is at revision %d, not %d: it changed since it was read; read it again and redo the edit",
			describe(kind, id), revision, ed.edit.Revision)
	}
	return nil
}

func (ed *editing) create() error {
	kind := ed.edit.Kind
	ed.tx.Target(0, false)
	if err := ed.write(kind, Draft{}.Merge(ed.edit.Patch), nil); err != nil {
		return err
	}
	return ed.recordWrite(ed.tx.TargetID(), kind, 1, ActionCreate, ed.edit.Summary, nil)
}

func (ed *editing) update() error {
	node, before, err := ed.tx.Draft(ed.edit.ID)
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
	ed.tx.Target(ed.edit.ID, true)
	if err := ed.write(kind, before.Merge(ed.edit.Patch), before); err != nil {
		return err
	}
	return ed.recordWrite(ed.edit.ID, kind, node.NodeRevision()+1, ActionUpdate, ed.edit.Summary, before)
}

// recordWrite gives a node just written its revision and records the
// change, reading back what was stored; a change that stored nothing new
// is ErrUnchanged (and the store drops the whole transaction).
func (ed *editing) recordWrite(id int64, kind Kind, revision int, action, summary string, before Draft) error {
	// The revision is raised only from the one the edit read (a node just
	// written as new holds 1): a writer that raised it meanwhile makes
	// this a conflict, not a lost update.
	read := revision - 1
	if before == nil {
		read = 1
	}
	raised, err := ed.tx.RaiseRevision(id, read, revision)
	if err != nil {
		return err
	}
	if !raised {
		return Errorf(ECONFLICT, "%s changed while this edit was written: read it again and redo the edit", describe(kind, id))
	}
	node, after, err := ed.tx.Draft(id)
	if err != nil {
		return err
	}
	if before != nil && reflect.DeepEqual(before, after) {
		return ErrUnchanged
	}
	return ed.record(id, kind, revision, action, summary, before, after, node)
}

func (ed *editing) record(id int64, kind Kind, revision int, action, summary string, before, after Draft, node Node) error {
	c := Change{NodeID: id, Kind: kind, Revision: revision, Action: action, Actor: ed.edit.Actor, At: ed.at,
		Summary: Text(summary), Before: before, After: after, Node: node}
	if err := ed.tx.Record(&c); err != nil {
		return err
	}
	ed.changes = append(ed.changes, c)
	return nil
}

// item turns a draft into the fixture item the validator and the store
// take: the document itself, or, for a fact written inside a thing, the
// holding thing's document with this fact as its only one.
func (ed *editing) item(kind Kind, d Draft) (any, error) {
	doc, err := d.Doc(kind)
	if err != nil {
		return nil, err
	}
	holderKind, slug, held := d.Holder(kind)
	if !held {
		return doc, nil
	}
	var problems Problems
	field := "input." + strings.ToLower(string(holderKind))
	if kind == KindCredit {
		field = "input.song"
		if d["song"] != nil && d["album"] != nil {
			problems.Add("", "input", "names both a song and an album; a credit is on one work")
		}
	}
	if slug == "" {
		problems.Add("", field, "is required")
		return nil, problems.Err()
	}
	holderID, holder, err := ed.tx.Holder(holderKind, slug)
	if err != nil {
		return nil, err
	}
	if holderID == 0 {
		near, err := ed.tx.Similar(holderKind, slug)
		if err != nil {
			return nil, err
		}
		if near != "" {
			problems.Add("", field, "no %s has the slug %q; did you mean %q?", strings.ToLower(string(holderKind)), slug, near)
		} else {
			problems.Add("", field, "no %s has the slug %q", strings.ToLower(string(holderKind)), slug)
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if c, ok := doc.(*CreditDoc); ok {
		if c.Position = d.Position(); c.Position <= 0 {
			if c.Position, err = ed.tx.NextPosition(holderID); err != nil {
				return nil, err
			}
		}
	}
	return holder, Hold(holder, doc)
}

// write checks a node's new draft and writes it onto the target. before is
// the node's draft before the edit, nil when it is new.
func (ed *editing) write(kind Kind, d Draft, before Draft) error {
	item, err := ed.item(kind, d)
	if err != nil {
		return err
	}
	v := NewValidator(ed.tx)
	_, thing := ItemThing(item)
	if !kind.IsThing() {
		v.Facts(item)
		if err := v.Err(); err != nil {
			return err
		}
		return ed.tx.WriteFacts(item)
	}
	var old Known
	if before != nil {
		if old, _, err = ed.tx.Known(kind, fmt.Sprint(before["slug"])); err != nil {
			return err
		}
	}
	v.Thing(item)
	if err := v.Err(); err != nil {
		return err
	}
	if err := ed.tx.WriteThing(kind, item); err != nil {
		return err
	}
	v.Facts(item)
	if err := v.Err(); err != nil {
		return err
	}
	if err := ed.tx.WriteSources(item); err != nil {
		return err
	}
	now, _, err := ed.tx.Known(kind, thing.Slug)
	if err != nil || before == nil {
		return err
	}
	// Facts may only come after the dates of what they join, so a date
	// that moves earlier (or goes) cannot break one; one that moves later
	// or is newly given may.
	later := !now.Date.IsZero() && now.Date != old.Date && (old.Date.IsZero() || !now.Date.Before(old.Date))
	if later || (kind == KindGroup && before["disbanded"] != d["disbanded"]) {
		return ed.recheck(kind, ed.tx.TargetID())
	}
	return nil
}

// recheck validates again the facts that a thing's dates bear on (those
// whose kinds declare they are dated by it), when they changed, so that
// moving a birth or a release cannot leave a fact dated before it.
func (ed *editing) recheck(kind Kind, id int64) error {
	kinds := datedFacts(kind)
	if len(kinds) == 0 {
		return nil
	}
	facts, err := ed.tx.FactsOf(id, kinds)
	if err != nil {
		return err
	}
	var problems Problems
	// Nothing but the thing itself changes during the check: what the
	// stored graph knows can be remembered across the facts.
	known := knownCache{Stored: ed.tx, seen: map[knownKey]knownAnswer{}}
	for _, fact := range facts {
		node, d, err := ed.tx.Draft(fact)
		if err != nil {
			return err
		}
		item, err := ed.item(node.NodeKind(), d)
		if err != nil {
			return err
		}
		v := NewValidator(known)
		v.Facts(item)
		var found *Problems
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
	kind Kind
	slug string
}

type knownAnswer struct {
	known Known
	ok    bool
}

// knownCache remembers a validator's questions to the stored graph about
// known things.
type knownCache struct {
	Stored
	seen map[knownKey]knownAnswer
}

func (c knownCache) Known(kind Kind, slug string) (Known, bool, error) {
	key := knownKey{kind, slug}
	if a, ok := c.seen[key]; ok {
		return a.known, a.ok, nil
	}
	k, ok, err := c.Stored.Known(kind, slug)
	if err == nil {
		c.seen[key] = knownAnswer{k, ok}
	}
	return k, ok, err
}

func (ed *editing) delete() error {
	node, _, err := ed.tx.Draft(ed.edit.ID)
	if err != nil {
		return err
	}
	if err := ed.found(node != nil, kindOf(node)); err != nil {
		return err
	}
	if err := ed.checkRevision(node.NodeKind(), ed.edit.ID, node.NodeRevision()); err != nil {
		return err
	}
	return ed.deleteNode(node, ActionDelete, ed.edit.Summary)
}

// deleteNode deletes a node, and with Cascade what refers to it: the facts
// that join a thing are deleted; a node citing a source loses the citation,
// and a fact left citing nothing is deleted. Without Cascade, a thing
// anything refers to is refused, saying what refers to it.
func (ed *editing) deleteNode(node Node, action, summary string) error {
	id, kind := ed.edit.ID, node.NodeKind()
	if kind.IsThing() {
		facts, citing, err := ed.tx.References(id)
		if err != nil {
			return err
		}
		if len(facts)+len(citing) > 0 && !ed.edit.Cascade {
			what, err := ed.count(append(facts, citing...))
			if err != nil {
				return err
			}
			return Errorf(ECONFLICT, "%s %q is referred to by %s: delete those first, or delete with cascade to delete them with it",
				strings.ToLower(string(kind)), node.(AnyThing).NodeName(), what)
		}
		why := fmt.Sprintf("deleted with %s %q", strings.ToLower(string(kind)), node.(AnyThing).NodeName())
		if summary != "" {
			why = summary + " (" + why + ")"
		}
		for _, fact := range facts {
			if err := ed.remove(fact, ActionDelete, why); err != nil {
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
func (ed *editing) count(ids []int64) (string, error) {
	kinds, err := ed.tx.Kinds(ids)
	if err != nil {
		return "", err
	}
	byKind := map[string]int{}
	for _, k := range kinds {
		byKind[strings.ToLower(string(k))]++
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
func (ed *editing) remove(id int64, action, summary string) error {
	node, before, err := ed.tx.Draft(id)
	if err != nil || node == nil {
		return err
	}
	if err := ed.tx.Remove(id, node.NodeKind()); err != nil {
		return err
	}
	return ed.record(id, node.NodeKind(), node.NodeRevision()+1, action, summary, before, nil, nil)
}

// uncite takes a deleted source out of what a node cites; a fact left
// citing nothing goes too, since a fact must cite a source.
func (ed *editing) uncite(id, source int64, summary string) error {
	node, before, err := ed.tx.Draft(id)
	if err != nil || node == nil {
		return err
	}
	left, err := ed.tx.Uncite(id, source)
	if err != nil {
		return err
	}
	if left == 0 && !node.NodeKind().IsThing() {
		return ed.remove(id, ActionDelete, summary)
	}
	return ed.recordWrite(id, node.NodeKind(), node.NodeRevision()+1, ActionUpdate, summary, before)
}

func (ed *editing) revert() error {
	id, to := ed.edit.ID, ed.edit.To
	node, current, err := ed.tx.Draft(id)
	if err != nil {
		return err
	}
	var kind Kind
	var revision int
	if node != nil {
		kind, revision = node.NodeKind(), node.NodeRevision()
	} else if kind, revision, err = ed.tx.LastChange(id); err != nil {
		return err
	}
	if err := ed.found(kind != "", kind); err != nil {
		return err
	}
	if err := ed.checkRevision(kind, id, revision); err != nil {
		return err
	}
	if to == revision {
		return Errorf(EINVALID, "%s is at revision %d already", describe(kind, id), to)
	}
	state, err := ed.tx.StateAt(kind, id, to)
	if err != nil {
		return err
	}
	summary := ed.edit.Summary
	if summary == "" {
		summary = fmt.Sprintf("revert to revision %d", to)
	}
	switch {
	case state == nil && node == nil:
		return Errorf(EINVALID, "%s did not exist at revision %d and does not now", describe(kind, id), to)
	case state == nil:
		ed.edit.Cascade = false
		return ed.deleteNode(node, ActionRevert, summary)
	}
	ed.tx.Target(id, node != nil)
	if err := ed.write(kind, state, current); err != nil {
		return err
	}
	return ed.recordWrite(id, kind, revision+1, ActionRevert, summary, current)
}
