package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// wsClient is a graphql-transport-ws client for the tests.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	msgs chan map[string]any
}

func dialWS(t *testing.T, base string, init bool) *wsClient {
	t.Helper()
	ctx := context.Background()
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	t.Cleanup(func() { conn.CloseNow() })
	c := &wsClient{t: t, conn: conn, msgs: make(chan map[string]any, 64)}
	go func() {
		defer close(c.msgs)
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var msg map[string]any
			_ = json.Unmarshal(b, &msg)
			if msg["type"] != "ping" && msg["type"] != "pong" && msg["type"] != "ka" {
				c.msgs <- msg
			}
		}
	}()
	if init {
		c.send(map[string]any{"type": "connection_init"})
		if msg := c.next(); msg["type"] != "connection_ack" {
			t.Fatalf("got %v", msg)
		}
	}
	return c
}

func (c *wsClient) send(msg map[string]any) {
	b, _ := json.Marshal(msg)
	if err := c.conn.Write(context.Background(), websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

// next is the next message; nil when the server has closed the connection.
func (c *wsClient) next() map[string]any {
	select {
	case msg := <-c.msgs:
		return msg
	case <-time.After(20 * time.Second):
		c.t.Fatal("no message from the server")
		return nil
	}
}

// within is the next message if one comes within d, else nil.
func (c *wsClient) within(d time.Duration) map[string]any {
	select {
	case msg := <-c.msgs:
		return msg
	case <-time.After(d):
		return nil
	}
}

// closed waits for the server to close the connection, skipping messages.
func (c *wsClient) closed() bool {
	for {
		select {
		case _, open := <-c.msgs:
			if !open {
				return true
			}
		case <-time.After(20 * time.Second):
			return false
		}
	}
}
