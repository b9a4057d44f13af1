package main

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
	"github.com/artistgraph/artistgraph/sqlite"
)

//go:embed templates/*.html
var templates embed.FS

var pages = template.Must(template.ParseFS(templates, "templates/*.html"))

// User is one of the wiki's own accounts.
type User struct {
	Name     string
	Password string
	Role     string // domain.RoleEditor or domain.RoleAdmin
}

// Wiki is the fan wiki: its own login and pages, with artistgraph mounted
// under /api/ and acting for whoever is logged in.
type Wiki struct {
	api      *httpapi.Handler
	users    map[string]User
	mu       sync.Mutex
	sessions map[string]string // session ID to user name
}

// NewWiki serves the wiki over db for the given accounts.
func NewWiki(db *sqlite.DB, users []User, logger *slog.Logger) *Wiki {
	w := &Wiki{users: map[string]User{}, sessions: map[string]string{}}
	for _, u := range users {
		w.users[u.Name] = u
	}
	w.api = httpapi.New(db, httpapi.Options{Logger: logger, Authenticate: w.identity})
	return w
}

// Handler routes the wiki's pages and the API.
func (w *Wiki) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", w.api))
	mux.HandleFunc("GET /{$}", w.home)
	mux.HandleFunc("GET /artists/{slug}", w.artist)
	mux.HandleFunc("POST /login", w.login)
	mux.HandleFunc("POST /logout", w.logout)
	return mux
}

// identity is the API's authentication: the wiki's session cookie.
func (w *Wiki) identity(r *http.Request) (*domain.Identity, error) {
	user, ok := w.user(r)
	if !ok {
		return nil, nil
	}
	return &domain.Identity{Name: "wiki:" + user.Name, Role: user.Role}, nil
}

func (w *Wiki) user(r *http.Request) (User, bool) {
	c, err := r.Cookie("session")
	if err != nil {
		return User{}, false
	}
	w.mu.Lock()
	name, ok := w.sessions[c.Value]
	w.mu.Unlock()
	if !ok {
		return User{}, false
	}
	return w.users[name], true
}

func (w *Wiki) login(rw http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	u, known := w.users[name]
	// Hashing both sides makes the comparison constant-time whatever the
	// lengths; an unknown user costs the same as a wrong password.
	got, want := sha256.Sum256([]byte(password)), sha256.Sum256([]byte(u.Password))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !known {
		http.Error(rw, "wrong name or password", http.StatusUnauthorized)
		return
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	session := hex.EncodeToString(b)
	w.mu.Lock()
	w.sessions[session] = name
	w.mu.Unlock()
	// SameSite=Lax keeps the cookie off cross-site POSTs; the API refuses
	// mutations that are not JSON POSTs besides.
	http.SetCookie(rw, &http.Cookie{Name: "session", Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}

func (w *Wiki) logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("session"); err == nil {
		w.mu.Lock()
		delete(w.sessions, c.Value)
		w.mu.Unlock()
	}
	http.SetCookie(rw, &http.Cookie{Name: "session", Path: "/", MaxAge: -1})
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}

func (w *Wiki) home(rw http.ResponseWriter, r *http.Request) {
	var data struct {
		Artists struct {
			Edges []struct{ Node struct{ Slug, Name string } }
		}
		RecentChanges struct {
			Edges []struct{ Node change }
		}
	}
	err := w.api.Query(r.Context(), `{
		artists(first: 100) { edges { node { slug name } } }
		recentChanges(first: 10) { edges { node { kind action actor at summary node { ... on Thing { name } } } } }
	}`, nil, &data)
	w.render(rw, r, "home.html", data, err)
}

// change is a history entry as the pages show it.
type change struct {
	Revision int
	Kind     string
	Action   string
	Actor    string
	At       string
	Summary  *string
	Fields   []struct{ Field string }
	Node     *struct{ Name string }
}

// artistQuery is everything an artist page shows, in one request.
const artistQuery = `query($slug: String!) {
	artist(slug: $slug) {
		id slug name revision description note birthDate birthPlace
		names { value locale kind }
		memberships { group { name } start end current }
		credits(first: 50) { edges { node { role work { name } } } }
		awardResults(first: 20) { edges { node { date category result award { name } } } }
		history(first: 5) { edges { node { revision action actor at summary fields { field } } } }
	}
}`

type artistPage struct {
	Artist *struct {
		ID, Slug, Name                string
		Revision                      int
		Description, Note, BirthPlace *string
		BirthDate                     *string
		Names                         []struct{ Value, Locale, Kind string }
		Memberships                   []struct {
			Group      struct{ Name string }
			Start, End *string
			Current    bool
		}
		Credits struct {
			Edges []struct {
				Node struct {
					Role string
					Work struct{ Name string }
				}
			}
		}
		AwardResults struct {
			Edges []struct {
				Node struct {
					Date, Result string
					Category     *string
					Award        struct{ Name string }
				}
			}
		}
		History struct {
			Edges []struct{ Node change }
		}
	}
	User string
}

func (w *Wiki) artist(rw http.ResponseWriter, r *http.Request) {
	var page artistPage
	err := w.api.Query(r.Context(), artistQuery, map[string]any{"slug": r.PathValue("slug")}, &page)
	if err == nil && page.Artist == nil {
		http.NotFound(rw, r)
		return
	}
	if u, ok := w.user(r); ok {
		page.User = u.Name
	}
	w.render(rw, r, "artist.html", page, err)
}

func (w *Wiki) render(rw http.ResponseWriter, r *http.Request, name string, data any, err error) {
	var errs gqlerror.List
	if errors.As(err, &errs) && len(errs) > 0 {
		http.Error(rw, "the graph could not answer: "+strings.TrimSpace(errs[0].Message), http.StatusBadGateway)
		return
	}
	if err != nil {
		http.Error(rw, "the graph could not answer", http.StatusBadGateway)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(rw, name, data); err != nil {
		http.Error(rw, "page failed", http.StatusInternalServerError)
	}
}
