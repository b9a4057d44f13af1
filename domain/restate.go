package domain

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// Restate makes a fixture item that restates a stored thing change only
// what the file states: a field the file leaves out keeps its stored
// value, a field it writes as null is cleared, and a list it writes is
// merged into the stored one by its items' keys (a name by its value and
// locale, anything else by its whole value; a restated name takes the
// file's kind), unless the item's "replace" names the list, which then
// replaces the stored one. stored is the thing as stored, as an item of
// the same type. An item that says nothing of what it stated (Stated nil)
// is left as it is.
func Restate(item, stored any) {
	_, thing := ItemThing(item)
	if thing == nil || thing.Stated == nil {
		return
	}
	restateFields(reflect.ValueOf(item).Elem(), reflect.ValueOf(stored).Elem(), thing.Stated, thing.Replace)
}

func restateFields(item, stored reflect.Value, stated map[string]json.RawMessage, replace []string) {
	t := item.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			if f.Type.Kind() == reflect.Struct {
				restateFields(item.Field(i), stored.Field(i), stated, replace)
			}
			continue
		}
		if name == "" || name == "-" || name == "replace" {
			continue
		}
		raw, written := stated[name]
		switch {
		case !written:
			item.Field(i).Set(stored.Field(i))
		case string(raw) == "null":
			// cleared: the item holds the zero value already
		case f.Type.Kind() == reflect.Slice && !slices.Contains(replace, name):
			item.Field(i).Set(mergeLists(stored.Field(i), item.Field(i)))
		}
	}
}

// mergeLists is the stored list with the file's items merged in: an item
// whose key is stored takes the stored one's place, a new one is added at
// the end.
func mergeLists(stored, file reflect.Value) reflect.Value {
	out := reflect.MakeSlice(stored.Type(), 0, stored.Len()+file.Len())
	at := map[string]int{}
	for i := range stored.Len() {
		at[mergeKey(stored.Index(i))] = out.Len()
		out = reflect.Append(out, stored.Index(i))
	}
	for i := range file.Len() {
		if j, ok := at[mergeKey(file.Index(i))]; ok {
			out.Index(j).Set(file.Index(i))
			continue
		}
		at[mergeKey(file.Index(i))] = out.Len()
		out = reflect.Append(out, file.Index(i))
	}
	return out
}

func mergeKey(v reflect.Value) string {
	if n, ok := v.Interface().(NameDoc); ok {
		return n.Value + "\x00" + n.Locale
	}
	b, _ := json.Marshal(v.Interface())
	return string(b)
}

// listFields names the stored list fields of an item, for "replace":
// "replace" and "distinctFrom" are instructions to the load, not lists
// the thing keeps.
func listFields(item any) []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
				walk(f.Type)
			case f.Type.Kind() == reflect.Slice && name != "" && name != "-" && name != "replace" && name != "distinctFrom":
				out = append(out, name)
			}
		}
	}
	walk(reflect.TypeOf(item).Elem())
	return out
}
