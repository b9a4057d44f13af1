package seed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// flaw is one thing wrong inside an item: where (a byte offset in the
// item's JSON and a path), and why.
type flaw struct {
	offset int64
	path   string
	why    string
}

// diagnose finds everything wrong in an item that did not decode, each at
// the value (or unknown key) itself: it walks the JSON beside the Go type,
// and decodes each leaf on its own. encoding/json stops at the first
// problem, and a field's own decoder (a date's) does not say which field
// failed.
func diagnose(raw []byte, typ reflect.Type, path string) []flaw {
	var flaws []flaw
	walk(raw, 0, typ, path, &flaws)
	return flaws
}

func walk(raw []byte, offset int64, typ reflect.Type, path string, flaws *[]flaw) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	offset += int64(len(raw) - len(trimmed))
	if bytes.Equal(trimmed, []byte("null")) {
		return
	}
	_, custom := reflect.New(typ).Interface().(json.Unmarshaler)
	switch {
	case !custom && typ.Kind() == reflect.Struct && len(trimmed) > 0 && trimmed[0] == '{':
		members(trimmed, func(key string, keyAt int, value []byte, valueAt int) {
			field, ok := fieldByName(typ, key)
			if !ok {
				*flaws = append(*flaws, flaw{offset + int64(keyAt), path, fmt.Sprintf("unknown field %q (a typo? unknown fields are refused so that nothing is silently dropped)", key)})
				return
			}
			walk(value, offset+int64(valueAt), field, path+"."+key, flaws)
		})
		return
	case !custom && typ.Kind() == reflect.Slice && typ.Elem().Kind() != reflect.Uint8 && len(trimmed) > 0 && trimmed[0] == '[':
		elements(trimmed, func(i int, value []byte, valueAt int) {
			walk(value, offset+int64(valueAt), typ.Elem(), fmt.Sprintf("%s[%d]", path, i), flaws)
		})
		return
	}
	err := json.Unmarshal(trimmed, reflect.New(typ).Interface())
	if err == nil {
		return
	}
	var wrong *json.UnmarshalTypeError
	why := strings.TrimPrefix(err.Error(), "json: ")
	if errors.As(err, &wrong) {
		why = fmt.Sprintf("%s cannot go in a field of type %s", article(wrong.Value), typ)
	}
	*flaws = append(*flaws, flaw{offset, path, why})
}

// fieldByName finds the type of the field a JSON key names, through
// embedded structs.
func fieldByName(typ reflect.Type, key string) (reflect.Type, bool) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			if t, ok := fieldByName(f.Type, key); ok {
				return t, true
			}
			continue
		}
		if name == key && f.IsExported() && name != "-" {
			return f.Type, true
		}
	}
	return nil, false
}

// members calls fn with each key of a JSON object, its value, and where
// both start in obj.
func members(obj []byte, fn func(key string, keyAt int, value []byte, valueAt int)) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil {
		return
	}
	for dec.More() {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return
		}
		key, _ := tok.(string)
		keyAt := before + bytes.IndexByte(obj[before:], '"')
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil && !errors.Is(err, io.EOF) {
			return
		}
		fn(key, keyAt, value, int(dec.InputOffset())-len(value))
	}
}

// elements calls fn with each element of a JSON array and where it starts.
func elements(list []byte, fn func(i int, value []byte, valueAt int)) {
	dec := json.NewDecoder(bytes.NewReader(list))
	if _, err := dec.Token(); err != nil {
		return
	}
	for i := 0; dec.More(); i++ {
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return
		}
		fn(i, value, int(dec.InputOffset())-len(value))
	}
}

// article puts "a" or "an" before a JSON kind ("an array").
func article(kind string) string {
	if kind != "" && strings.ContainsAny(kind[:1], "aeiou") {
		return "an " + kind
	}
	return "a " + kind
}
