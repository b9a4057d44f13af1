package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EFORBIDDEN is the code of a write the identity's role does not allow.
const EFORBIDDEN = "FORBIDDEN"

// What a change did to a node.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionRevert = "revert"
)

// Draft is one node as an edit writes it: the fields of its fixture document
// under their fixture names ("birthDate", "sources", ...), and, for a fact
// that fixtures write inside a thing, the thing that holds it ("group" of a
// membership, "song" or "album" of a credit, "album" of a track, "award" of
// an award result, "event" of a performance) and a credit's "position" in
// billing order. Mutation inputs, history and reverts all speak drafts.
type Draft map[string]any

// NewDraft writes a fixture document as a draft.
func NewDraft(doc any) (Draft, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var d Draft
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	// A draft of a thing leaves out the facts its document holds: facts
	// are edited one at a time.
	HeldFacts(doc, func(_ Kind, list string, _ int, _ *FactDoc) { delete(d, list) })
	return d, nil
}

// Merge returns d with patch applied: a key set to nil clears the field, a
// key absent leaves it as it is, and any other value replaces the field
// whole (lists and objects included).
func (d Draft) Merge(patch Draft) Draft {
	out := make(Draft, len(d)+len(patch))
	for k, v := range d {
		out[k] = v
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// Holder returns the kind and slug of the thing a fact's draft is written
// in, and whether the kind of fact has one.
func (d Draft) Holder(kind Kind) (Kind, string, bool) {
	spec, _ := SpecOf(kind)
	if len(spec.Holders) == 0 {
		return "", "", false
	}
	// The draft names its holder under the holder's kind ("group": "bts").
	for _, h := range spec.Holders {
		if slug, _ := d[strings.ToLower(string(h))].(string); slug != "" {
			return h, slug, true
		}
	}
	return spec.Holders[0], "", true
}

// Position is a credit draft's billing position, 0 when not given.
func (d Draft) Position() int {
	switch n := d["position"].(type) {
	case float64:
		return int(n)
	case int:
		return n
	case int64:
		return int(n)
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	}
	return 0
}

// Doc reads a draft of a node of the given kind back into its fixture
// document (a *ArtistDoc, *MembershipDoc, ...), located at "input". A field
// the kind does not have, or a value of the wrong type, is a problem.
func (d Draft) Doc(kind Kind) (any, error) {
	doc := newDoc(kind)
	if doc == nil {
		return nil, Errorf(EINVALID, "%q is not a kind of thing or fact", kind)
	}
	fields := make(Draft, len(d))
	for k, v := range d {
		fields[k] = v
	}
	spec, _ := SpecOf(kind)
	for _, h := range spec.Holders {
		delete(fields, strings.ToLower(string(h)))
	}
	if kind == KindCredit {
		delete(fields, "position")
	}
	var problems Problems
	if kind.IsThing() {
		for _, k := range heldLists(kind) {
			if _, ok := fields[k]; ok {
				problems.Add("", "input."+k, "facts are edited one at a time, with their own mutations")
			}
		}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return nil, Errorf(EINVALID, "input: %v", err)
	}
	if err := decodeStrict(b, doc); err != nil {
		// Decoding field by field finds which fields are wrong, since an
		// error from a field's own decoder does not name it.
		before := len(problems)
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			one, _ := json.Marshal(map[string]any{k: fields[k]})
			if err := decodeStrict(one, newDoc(kind)); err != nil {
				problems.Add("", "input."+k, "%s", strings.TrimPrefix(err.Error(), "json: "))
			}
		}
		if len(problems) == before {
			problems.Add("", "input", "%s", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	at := Loc{Path: "input"}
	if _, t := ItemThing(doc); t != nil {
		t.Loc = at
	}
	if f := FactPart(doc); f != nil {
		f.Loc = at
	}
	return doc, nil
}

func decodeStrict(b []byte, doc any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(doc)
}

func newDoc(kind Kind) any {
	s, ok := SpecOf(kind)
	if !ok {
		return nil
	}
	return s.NewDoc()
}

// Hold puts a fact document written inside a thing (a membership, credit,
// track, award result or performance) into its holder's document, as the
// only fact of its kind there, so that the loader and the validator see it
// as a fixture would give it.
func Hold(holder, fact any) error {
	f, _ := SpecOfItem(fact)
	h, _ := SpecOfItem(holder)
	index, ok := heldIndex(h.Kind, f.Kind)
	if !ok {
		return fmt.Errorf("a %T is not held by a %T", fact, holder)
	}
	list := reflect.ValueOf(holder).Elem().FieldByIndex(index)
	one := reflect.MakeSlice(list.Type(), 1, 1)
	one.Index(0).Set(reflect.ValueOf(fact).Elem())
	list.Set(one)
	return nil
}

// Edit asks for one change to the graph.
type Edit struct {
	// Action is ActionCreate, ActionUpdate, ActionDelete or ActionRevert.
	Action string
	// Kind is the kind of node to create.
	Kind Kind
	// ID is the node to update, delete or revert.
	ID int64
	// Revision is the node's revision the editor last saw; the edit is
	// refused if the node has changed since.
	Revision int
	// Patch holds the fields to create or update (see Draft.Merge).
	Patch Draft
	// To is the revision a revert returns the node to.
	To int
	// Cascade lets a delete also delete the facts that refer to the thing.
	Cascade bool
	// Summary says why, as a wiki's edit summary does; optional.
	Summary string
	// Actor is who makes the edit.
	Actor string
}

// Redaction is an admin's removal of a revision's content from the history.
type Redaction struct {
	By     string
	At     time.Time
	Reason Text
}

// Check refuses an edit whose own texts are too long: they are stored in
// the history and answered to anyone who reads it, like any other text.
func (e Edit) Check() error {
	for _, t := range []struct{ field, text string }{{"summary", e.Summary}, {"actor", e.Actor}} {
		if n := utf8.RuneCountInString(t.text); n > MaxText {
			return Errorf(EINVALID, "%s: is %d characters long; at most %d", t.field, n, MaxText)
		}
	}
	return nil
}

// Change is one recorded change to one node.
type Change struct {
	// Seq orders changes across the graph; the recent-changes feed pages
	// by it.
	Seq      int64
	NodeID   int64
	Kind     Kind
	Revision int
	Action   string
	Actor    string
	At       time.Time
	Summary  Text
	// Before and After are the node's drafts; nil where it did not exist.
	Before, After Draft
	// Redacted says who removed the content of the revision this change
	// made, when and why; nil when nobody has.
	Redacted *Redaction
	// Node and Names are the node as the change left it, read in the
	// edit's own transaction, so that the answer to a mutation is what it
	// wrote, whatever another editor commits next; nil after a delete, and
	// in changes read back from the history.
	Node  Node
	Names []*Name
}

// FieldChange is one field a change set, with its value before and after
// (nil where it had none).
type FieldChange struct {
	Field         string
	Before, After any
}

// Fields lists what the change did, field by field, in field order.
func (c *Change) Fields() []FieldChange {
	var keys []string
	for k := range c.Before {
		keys = append(keys, k)
	}
	for k := range c.After {
		if _, ok := c.Before[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []FieldChange
	for _, k := range keys {
		before, after := c.Before[k], c.After[k]
		if !reflect.DeepEqual(before, after) {
			out = append(out, FieldChange{Field: k, Before: before, After: after})
		}
	}
	return out
}
