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
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/httpapi"
)

//go:embed templates/*.html
var templates embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{"when": when}).ParseFS(templates, "templates/*.html"))

// when shows an RFC 3339 time from the API to the minute, in UTC.
func when(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return at
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// User is one of the wiki's own accounts.
type User struct {
	Name     string
	Password string
	Role     string // domain.RoleEditor or domain.RoleAdmin
}

// Options tune the wiki.
type Options struct {
	// SecureCookies marks the session cookie Secure even when the request
	// came over plain HTTP, as it does behind a proxy that ends TLS. A
	// request over TLS gets a Secure cookie anyway.
	SecureCookies bool
	// SessionLifetime is how long a login lasts; 12 hours when 0.
	SessionLifetime time.Duration
}

// Wiki is the fan wiki: its own login and pages, with artistgraph mounted
// under /api/ and acting for whoever is logged in.
type Wiki struct {
	api      *httpapi.Handler
	users    map[string]User
	opts     Options
	mu       sync.Mutex
	sessions map[string]session
	attempts *attempts
}

// session is one login: whose, and until when.
type session struct {
	user    string
	expires time.Time
}

// NewWiki serves the wiki over db for the given accounts.
func NewWiki(db domain.Store, users []User, logger *slog.Logger, opts Options) *Wiki {
	if opts.SessionLifetime == 0 {
		opts.SessionLifetime = 12 * time.Hour
	}
	w := &Wiki{users: map[string]User{}, opts: opts, sessions: map[string]session{}, attempts: newAttempts()}
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
	mux.HandleFunc("GET /groups/{slug}", w.group)
	mux.HandleFunc("GET /songs/{slug}", w.work("song"))
	mux.HandleFunc("GET /albums/{slug}", w.work("album"))
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

// user is who the request's session belongs to; an expired session is
// forgotten.
func (w *Wiki) user(r *http.Request) (User, bool) {
	c, err := r.Cookie("session")
	if err != nil {
		return User{}, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.sessions[c.Value]
	if ok && time.Now().After(s.expires) {
		delete(w.sessions, c.Value)
		ok = false
	}
	if !ok {
		return User{}, false
	}
	return w.users[s.user], true
}

// attempts bounds failed logins, per client address and per account: a
// few at once, then one a minute (golang.org/x/time/rate).
type attempts struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

func newAttempts() *attempts { return &attempts{limiters: map[string]*rate.Limiter{}} }

// allow reports whether a login may be tried now for every key; a refused
// one spends nothing.
func (a *attempts) allow(keys ...string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.limiters) > 100_000 {
		a.limiters = map[string]*rate.Limiter{} // bounded memory; the limits start over
	}
	now := time.Now()
	var reservations []*rate.Reservation
	for _, k := range keys {
		l, ok := a.limiters[k]
		if !ok {
			l = rate.NewLimiter(rate.Every(time.Minute), 5)
			a.limiters[k] = l
		}
		r := l.ReserveN(now, 1)
		if !r.OK() || r.DelayFrom(now) > 0 {
			r.CancelAt(now)
			for _, done := range reservations {
				done.CancelAt(now)
			}
			return false
		}
		reservations = append(reservations, r)
	}
	return true
}

func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (w *Wiki) login(rw http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	if !w.attempts.allow("addr:"+clientAddress(r), "user:"+name) {
		rw.Header().Set("Retry-After", "60")
		w.homeWith(rw, r, http.StatusTooManyRequests, "Too many login attempts: wait a minute and try again.")
		return
	}
	u, known := w.users[name]
	// Hashing both sides makes the comparison constant-time whatever the
	// lengths; an unknown user costs the same as a wrong password.
	got, want := sha256.Sum256([]byte(password)), sha256.Sum256([]byte(u.Password))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !known {
		w.homeWith(rw, r, http.StatusUnauthorized, "Wrong name or password.")
		return
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	w.mu.Lock()
	w.sessions[id] = session{user: name, expires: time.Now().Add(w.opts.SessionLifetime)}
	w.mu.Unlock()
	// SameSite=Lax keeps the cookie off cross-site POSTs; the API refuses
	// mutations that are not JSON POSTs besides. Secure over TLS (or when
	// a proxy ends TLS in front of the wiki).
	http.SetCookie(rw, &http.Cookie{Name: "session", Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || w.opts.SecureCookies, MaxAge: int(w.opts.SessionLifetime.Seconds())})
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}

func (w *Wiki) logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("session"); err == nil {
		w.mu.Lock()
		delete(w.sessions, c.Value)
		w.mu.Unlock()
	}
	http.SetCookie(rw, &http.Cookie{Name: "session", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || w.opts.SecureCookies})
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}

// frame is what every page shows around its content: who is logged in,
// and a message.
type frame struct {
	User    string
	Message string
}

func (w *Wiki) frame(r *http.Request) frame {
	u, _ := w.user(r)
	return frame{User: u.Name}
}

func (w *Wiki) home(rw http.ResponseWriter, r *http.Request) {
	w.homeWith(rw, r, http.StatusOK, "")
}

// homeWith renders the home page with a status and a message (a failed
// login's).
func (w *Wiki) homeWith(rw http.ResponseWriter, r *http.Request, status int, message string) {
	var data struct {
		frame
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
	data.frame = w.frame(r)
	data.Message = message
	w.render(rw, r, status, "home.html", data, err)
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

// link is a thing the pages link to: its kind decides the address.
type link struct {
	Typename string `json:"__typename"`
	Slug     string
	Name     string
}

// Path is the wiki's address of the thing, "" for kinds without pages.
func (l link) Path() string {
	switch l.Typename {
	case "Artist":
		return "/artists/" + l.Slug
	case "Group":
		return "/groups/" + l.Slug
	case "Song":
		return "/songs/" + l.Slug
	case "Album":
		return "/albums/" + l.Slug
	}
	return ""
}

// credits is a page of an act's credits, each linking to its work.
type credits struct {
	Edges []struct {
		Node struct {
			Role string
			Work link
		}
	}
}

// artistQuery is everything an artist page shows, in one request.
const artistQuery = `query($slug: String!) {
	artist(slug: $slug) {
		id slug name revision description note birthDate birthPlace
		names { value locale kind }
		memberships { group { __typename slug name } start end current }
		credits(first: 50) { edges { node { role work { __typename slug name } } } }
		awardResults(first: 20) { edges { node { date category result award { name } } } }
		history(first: 5) { edges { node { revision action actor at summary fields { field } } } }
	}
}`

type artistPage struct {
	frame
	Artist *struct {
		ID, Slug, Name                string
		Revision                      int
		Description, Note, BirthPlace *string
		BirthDate                     *string
		Names                         []struct{ Value, Locale, Kind string }
		Memberships                   []struct {
			Group      link
			Start, End *string
			Current    bool
		}
		Credits      credits
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
}

func (w *Wiki) artist(rw http.ResponseWriter, r *http.Request) {
	show[artistPage](w, rw, r, artistQuery, "artist.html")
}

func (p *artistPage) missing() bool { return p.Artist == nil }

const groupQuery = `query($slug: String!) {
	group(slug: $slug) {
		name description formed debuted disbanded
		members(first: 50) { edges { node { artist { __typename slug name } start end current } } }
		credits(first: 50) { edges { node { role work { __typename slug name } } } }
	}
}`

type groupPage struct {
	frame
	Group *struct {
		Name                                    string
		Description, Formed, Debuted, Disbanded *string
		Members                                 struct {
			Edges []struct {
				Node struct {
					Artist     link
					Start, End *string
					Current    bool
				}
			}
		}
		Credits credits
	}
}

func (w *Wiki) group(rw http.ResponseWriter, r *http.Request) {
	show[groupPage](w, rw, r, groupQuery, "group.html")
}

func (p *groupPage) missing() bool { return p.Group == nil }

// workPage is a song's or an album's page.
type workPage struct {
	frame
	Work *struct {
		Name     string
		Released *string
		Credits  []struct {
			Role string
			Act  link
		}
	}
}

// work serves the pages of songs or albums (kind "song" or "album").
func (w *Wiki) work(kind string) http.HandlerFunc {
	q := `query($slug: String!) { work: ` + kind + `(slug: $slug) { name released credits { role act { __typename slug name } } } }`
	return func(rw http.ResponseWriter, r *http.Request) {
		show[workPage](w, rw, r, q, "work.html")
	}
}

func (p *workPage) missing() bool { return p.Work == nil }

// page is a thing's page: the query's data, in the frame of every page.
type page[P any] interface {
	*P
	missing() bool
	setFrame(frame)
}

func (f *frame) setFrame(v frame) { *f = v }

// show renders the page of the thing whose slug the path names, from one
// query; 404 when there is no such thing.
func show[P any, PP page[P]](w *Wiki, rw http.ResponseWriter, r *http.Request, query, template string) {
	data := PP(new(P))
	err := w.api.Query(r.Context(), query, map[string]any{"slug": r.PathValue("slug")}, data)
	if err == nil && data.missing() {
		http.NotFound(rw, r)
		return
	}
	data.setFrame(w.frame(r))
	w.render(rw, r, http.StatusOK, template, data, err)
}

func (w *Wiki) render(rw http.ResponseWriter, r *http.Request, status int, name string, data any, err error) {
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
	rw.WriteHeader(status)
	if err := pages.ExecuteTemplate(rw, name, data); err != nil {
		slog.ErrorContext(r.Context(), "page failed", "page", name, "err", err)
	}
}
