// Package synth writes synthetic fixtures of any size with the shape of
// real careers: long-tailed credits (a few acts have most songs), groups
// whose members change, partial dates, names in several scripts, awards,
// performances, chart runs and milestones. The same seed gives the same
// files. Every fact it writes passes the loader's checks.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/artistgraph/artistgraph/domain"
)

// Config sizes a synthetic graph.
type Config struct {
	Seed      uint64
	Artists   int
	Groups    int
	Songs     int
	Events    int
	Awards    int
	Charts    int
	Platforms int
	Sources   int
	// PerFile caps the items written to one file.
	PerFile int
}

// Large is the default large graph: about 1.2 million things and 5 million facts.
var Large = Config{Seed: 1, Artists: 100_000, Groups: 10_000, Songs: 1_000_000, Events: 20_000, Awards: 200, Charts: 50, Platforms: 5, Sources: 100, PerFile: 50_000}

// Small is a graph for tests: the same shape at a thousandth of the size.
var Small = Config{Seed: 1, Artists: 100, Groups: 10, Songs: 1_000, Events: 20, Awards: 5, Charts: 3, Platforms: 2, Sources: 3, PerFile: 200}

// Stats counts what Generate wrote.
type Stats struct {
	Files, Things, Facts int
}

type generator struct {
	cfg   Config
	rng   *rand.Rand
	dir   string
	stats Stats
	// keyYear is the year from which each act may have facts: an artist's
	// sixteenth birthday, a group's formation.
	keyYear []int
	// songsOf lists the songs each act is the primary artist of.
	songsOf  [][]int
	released []domain.Date
	primary  []int
	popular  *rand.Zipf
}

// Generate writes the fixtures of cfg into dir, which it creates.
func Generate(dir string, cfg Config) (Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	acts := cfg.Artists + cfg.Groups
	g := &generator{
		cfg: cfg, rng: rng, dir: dir,
		keyYear:  make([]int, acts),
		songsOf:  make([][]int, acts),
		released: make([]domain.Date, cfg.Songs),
		primary:  make([]int, cfg.Songs),
		popular:  rand.NewZipf(rng, 1.2, 4, uint64(acts-1)),
	}
	steps := []func() error{g.basics, g.artists, g.groups, g.songs, g.albums, g.events, g.awards, g.chartRuns, g.milestones, g.records}
	for _, step := range steps {
		if err := step(); err != nil {
			return g.stats, err
		}
	}
	return g.stats, nil
}

// actSlug names act i: artists first, then groups.
func (g *generator) actSlug(i int) string {
	if i < g.cfg.Artists {
		return "artist-" + strconv.Itoa(i)
	}
	return "group-" + strconv.Itoa(i-g.cfg.Artists)
}

func (g *generator) sources() []string {
	return []string{"source-" + strconv.Itoa(g.rng.IntN(g.cfg.Sources))}
}

// date returns a date in year at a random precision, mostly full days.
func (g *generator) date(year int) domain.Date {
	d := domain.Date{Year: year}
	if p := g.rng.IntN(10); p < 9 {
		d.Month = 1 + g.rng.IntN(12)
		if p < 7 {
			d.Day = 1 + g.rng.IntN(28)
		}
	}
	return d
}

// ids gives every third thing an identifier in scheme, made from its
// number: no database has it, but it has the scheme's form.
func (g *generator) ids(i int, scheme, format string, n int) map[string]string {
	if i%3 != 0 {
		return nil
	}
	return map[string]string{scheme: fmt.Sprintf(format, n)}
}

// week returns a chart week's day in year: charts date their weeks to the
// day, so that a song's runs on a chart (re-entries) never cover one
// another.
func (g *generator) week(year int) domain.Date {
	return domain.Date{Year: year, Month: 1 + g.rng.IntN(12), Day: 1 + g.rng.IntN(28)}
}

// after returns a date in a later year than year (so it can never fall
// before a date in that year, whatever the precisions), up to span years on.
// Careers that start late run into the 2030s.
func (g *generator) after(year, span int) domain.Date {
	return g.date(year + 1 + g.rng.IntN(span))
}

var (
	latin    = []string{"ka", "ri", "mo", "na", "ze", "lu", "to", "vi", "sa", "re", "jin", "min", "ho", "su", "ya", "el", "ar", "on", "da", "mi", "ko", "la", "ne", "ro"}
	words    = []string{"Golden", "Seven", "Dream", "Night", "Stay", "Light", "Butter", "Fire", "Blue", "Heart", "Summer", "Run", "Forever", "Moon", "Closer", "Echo", "Wild", "Home", "Silver", "Rain"}
	katakana = []rune("アイウエオカキクケコサシスセソタチツテトナニヌネノマミムメモラリルレロ")
)

func (g *generator) latinName(syllables int) string {
	b := make([]byte, 0, 12)
	for i := 0; i < syllables; i++ {
		b = append(b, latin[g.rng.IntN(len(latin))]...)
	}
	b[0] -= 'a' - 'A'
	return string(b)
}

func (g *generator) hangul(n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = rune(0xAC00 + g.rng.IntN(11172))
	}
	return string(r)
}

func (g *generator) kana(n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = katakana[g.rng.IntN(len(katakana))]
	}
	return string(r)
}

// names gives a thing aliases in several scripts.
func (g *generator) names() []domain.NameDoc {
	var out []domain.NameDoc
	if g.rng.IntN(2) == 0 {
		out = append(out, domain.NameDoc{Value: g.hangul(2 + g.rng.IntN(2)), Locale: "ko", Kind: "native"})
	}
	if g.rng.IntN(4) == 0 {
		out = append(out, domain.NameDoc{Value: g.kana(3 + g.rng.IntN(3)), Locale: "ja", Kind: "translation"})
	}
	if g.rng.IntN(3) == 0 {
		out = append(out, domain.NameDoc{Value: g.latinName(2) + " " + g.latinName(2), Locale: "en", Kind: "alias"})
	}
	return out
}

// list writes one top-level list of items, split into files of at most
// PerFile items each.
func list[T any](g *generator, prefix, key string, n int, item func(i int) T, facts func(T) int) error {
	// Random names repeat; the fixtures say which things are distinct.
	named := map[string][]string{}
	distinct := func(i int) T {
		v := item(i)
		if _, t := domain.ItemThing(&v); t != nil {
			name := domain.NameKey(t.Name)
			t.DistinctFrom = slices.Clone(named[name])
			named[name] = append(named[name], t.Slug)
		}
		return v
	}
	for start, part := 0, 0; start < n; start, part = start+g.cfg.PerFile, part+1 {
		name := filepath.Join(g.dir, fmt.Sprintf("%s-%04d.json", prefix, part))
		if err := writeFile(name, key, min(g.cfg.PerFile, n-start), func(i int) T { return distinct(start + i) }, func(v T) { g.stats.Facts += facts(v) }); err != nil {
			return err
		}
		g.stats.Files++
	}
	return nil
}

func writeFile[T any](name, key string, n int, item func(i int) T, count func(T)) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "{%q: [\n", key)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.WriteString(",")
		}
		v := item(i)
		count(v)
		if err := enc.Encode(v); err != nil {
			f.Close()
			return err
		}
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func none[T any](T) int { return 0 }

func (g *generator) basics() error {
	err := list(g, "000-sources", "sources", g.cfg.Sources, func(i int) domain.SourceDoc {
		return domain.SourceDoc{ThingDoc: domain.ThingDoc{Slug: "source-" + strconv.Itoa(i), Name: "Synthetic source " + strconv.Itoa(i)}, Publisher: "artistgraph synth", Published: g.date(2024)}
	}, none)
	if err == nil {
		err = list(g, "001-platforms", "platforms", g.cfg.Platforms, func(i int) domain.PlatformDoc {
			return domain.PlatformDoc{ThingDoc: domain.ThingDoc{Slug: "platform-" + strconv.Itoa(i), Name: "Platform " + g.latinName(2)}, Kind: "streaming"}
		}, none)
	}
	if err == nil {
		err = list(g, "002-charts", "charts", g.cfg.Charts, func(i int) domain.ChartDoc {
			return domain.ChartDoc{ThingDoc: domain.ThingDoc{Slug: "chart-" + strconv.Itoa(i), Name: g.latinName(2) + " Top 100"}, Region: "XX"}
		}, none)
	}
	g.stats.Things += g.cfg.Sources + g.cfg.Platforms + g.cfg.Charts
	return err
}

func (g *generator) artists() error {
	g.stats.Things += g.cfg.Artists
	return list(g, "010-artists", "artists", g.cfg.Artists, func(i int) domain.ArtistDoc {
		born := 1950 + g.rng.IntN(56)
		g.keyYear[i] = born + 16
		return domain.ArtistDoc{
			ThingDoc:    domain.ThingDoc{Slug: g.actSlug(i), Name: g.latinName(2 + g.rng.IntN(2)), Names: g.names(), Sources: g.sources(), IDs: g.ids(i, "wikidata", "Q%d", 100_000_000+i)},
			BirthDate:   g.date(born),
			Country:     []string{"KR", "US", "GB", "JP", "BR"}[g.rng.IntN(5)],
			Occupations: []string{"singer"},
		}
	}, none)
}

func (g *generator) groups() error {
	g.stats.Things += g.cfg.Groups
	return list(g, "020-groups", "groups", g.cfg.Groups, func(i int) domain.GroupDoc {
		act := g.cfg.Artists + i
		formed := 1970 + g.rng.IntN(50)
		g.keyYear[act] = formed
		group := domain.GroupDoc{ThingDoc: domain.ThingDoc{Slug: g.actSlug(act), Name: "The " + g.latinName(2) + "s", Names: g.names(), Sources: g.sources()}, Formed: domain.Date{Year: formed}}
		seen := map[int]bool{}
		for m := 0; m < 3+g.rng.IntN(7); m++ {
			artist := g.rng.IntN(g.cfg.Artists)
			if seen[artist] {
				continue
			}
			seen[artist] = true
			start := max(formed, g.keyYear[artist]) + 1
			membership := domain.MembershipDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Artist: g.actSlug(artist), Roles: []string{"vocalist"}, Start: g.date(start)}
			if g.rng.IntN(5) == 0 { // a former member
				membership.End = g.after(start, 8)
			}
			group.Members = append(group.Members, membership)
		}
		return group
	}, func(v domain.GroupDoc) int { return len(v.Members) })
}

func (g *generator) songs() error {
	g.stats.Things += g.cfg.Songs
	roles := []string{"writer", "producer", "composer"}
	acts := g.cfg.Artists + g.cfg.Groups
	return list(g, "030-songs", "songs", g.cfg.Songs, func(i int) domain.SongDoc {
		// Ten songs in a row share an act: they make up one album.
		if i%10 == 0 {
			g.primary[i] = int(g.popular.Uint64())
		} else {
			g.primary[i] = g.primary[i/10*10]
		}
		act := g.primary[i]
		g.released[i] = g.after(g.keyYear[act], 10)
		g.songsOf[act] = append(g.songsOf[act], i)
		song := domain.SongDoc{ThingDoc: domain.ThingDoc{Slug: "song-" + strconv.Itoa(i), Name: words[g.rng.IntN(len(words))] + " " + g.latinName(2), IDs: g.ids(i, "isrc", "XXSYN%07d", i)}, Released: g.released[i], DurationSeconds: domain.Positive(150 + g.rng.IntN(120))}
		song.Credits = append(song.Credits, domain.CreditDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Act: g.actSlug(act), Role: "primary"})
		used := map[int]bool{act: true}
		for g.rng.IntN(10) < 3 && len(song.Credits) < 3 {
			if f := g.rng.IntN(acts); !used[f] {
				used[f] = true
				song.Credits[len(song.Credits)-1].JoinPhrase = " feat. "
				song.Credits = append(song.Credits, domain.CreditDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Act: g.actSlug(f), Role: "featured"})
			}
		}
		for k := g.rng.IntN(3); k > 0; k-- {
			if w := g.rng.IntN(g.cfg.Artists); !used[w] {
				used[w] = true
				song.Credits = append(song.Credits, domain.CreditDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Act: g.actSlug(w), Role: roles[g.rng.IntN(len(roles))]})
			}
		}
		return song
	}, func(v domain.SongDoc) int { return len(v.Credits) })
}

func (g *generator) albums() error {
	n := (g.cfg.Songs + 9) / 10
	g.stats.Things += n
	return list(g, "040-albums", "albums", n, func(i int) domain.AlbumDoc {
		first := i * 10
		act := g.primary[first]
		album := domain.AlbumDoc{ThingDoc: domain.ThingDoc{Slug: "album-" + strconv.Itoa(i), Name: words[g.rng.IntN(len(words))] + " " + g.latinName(3)}, Kind: "studio_album"}
		latest := domain.Date{}
		for s := first; s < min(first+10, g.cfg.Songs); s++ {
			if g.released[s].Year > latest.Year {
				latest = g.released[s]
			}
			track := domain.TrackDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Song: "song-" + strconv.Itoa(s), Position: s - first + 1}
			if s == first {
				track.Relations = []string{"title_track"}
			}
			album.Tracks = append(album.Tracks, track)
		}
		album.Released = domain.Date{Year: latest.Year}
		album.Credits = []domain.CreditDoc{{FactDoc: domain.FactDoc{Sources: g.sources()}, Act: g.actSlug(act), Role: "primary"}}
		return album
	}, func(v domain.AlbumDoc) int { return len(v.Credits) + len(v.Tracks) })
}

// someSongOf picks a song of act, or -1.
func (g *generator) someSongOf(act int) int {
	if len(g.songsOf[act]) == 0 {
		return -1
	}
	return g.songsOf[act][g.rng.IntN(len(g.songsOf[act]))]
}

func (g *generator) events() error {
	g.stats.Things += g.cfg.Events
	kinds := []string{"concert", "broadcast", "festival", "ceremony"}
	return list(g, "050-events", "events", g.cfg.Events, func(i int) domain.EventDoc {
		event := domain.EventDoc{ThingDoc: domain.ThingDoc{Slug: "event-" + strconv.Itoa(i), Name: g.latinName(3) + " Live " + strconv.Itoa(i)}, Kind: kinds[g.rng.IntN(len(kinds))]}
		var performers []int
		latest := 0
		for p := 0; p < 5; p++ {
			act := int(g.popular.Uint64())
			if slices.Contains(performers, act) {
				continue
			}
			performers = append(performers, act)
			latest = max(latest, g.keyYear[act])
		}
		event.Start = g.after(latest, 10)
		for _, act := range performers {
			perf := domain.PerformanceDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Performers: []string{g.actSlug(act)}}
			for k := 0; k < 1+g.rng.IntN(3); k++ {
				// A song is performed once it is out.
				if s := g.someSongOf(act); s >= 0 && !event.Start.Before(g.released[s]) {
					perf.SetList = append(perf.SetList, domain.SetListDoc{Song: "song-" + strconv.Itoa(s)})
				}
			}
			event.Performances = append(event.Performances, perf)
		}
		return event
	}, func(v domain.EventDoc) int { return len(v.Performances) })
}

func (g *generator) awards() error {
	g.stats.Things += g.cfg.Awards
	perAward := g.cfg.Songs / 5 / max(1, g.cfg.Awards)
	return list(g, "060-awards", "awards", g.cfg.Awards, func(i int) domain.AwardDoc {
		award := domain.AwardDoc{ThingDoc: domain.ThingDoc{Slug: "award-" + strconv.Itoa(i), Name: g.latinName(2) + " Music Award"}, Presenter: g.latinName(3)}
		for r := 0; r < perAward; r++ {
			act := int(g.popular.Uint64())
			result := domain.AwardResultDoc{FactDoc: domain.FactDoc{Sources: g.sources()}, Category: "Best " + words[g.rng.IntN(len(words))], Result: []string{"won", "nominated"}[g.rng.IntN(2)], Recipients: []string{g.actSlug(act)}}
			year := g.keyYear[act]
			if s := g.someSongOf(act); s >= 0 && g.rng.IntN(2) == 0 {
				result.Work = &domain.WorkRef{Song: "song-" + strconv.Itoa(s)}
				year = max(year, g.released[s].Year)
			}
			result.Date = g.after(year, 5)
			award.Results = append(award.Results, result)
		}
		return award
	}, func(v domain.AwardDoc) int { return len(v.Results) })
}

func (g *generator) chartRuns() error {
	bounds := []string{"exact", "exact", "at_least", "more_than"}
	return list(g, "070-chart-runs", "chartRuns", g.cfg.Songs/2, func(i int) domain.ChartRunDoc {
		s := g.rng.IntN(g.cfg.Songs)
		return domain.ChartRunDoc{
			FactDoc: domain.FactDoc{Sources: g.sources()}, WorkRef: domain.WorkRef{Song: "song-" + strconv.Itoa(s)},
			Chart: "chart-" + strconv.Itoa(g.rng.IntN(g.cfg.Charts)), Entered: g.week(g.released[s].Year + 1 + g.rng.IntN(2)),
			Peak: domain.Positive(1 + g.rng.IntN(100)), Weeks: &domain.Quantity{Value: int64(1 + g.rng.IntN(60)), Bound: bounds[g.rng.IntN(len(bounds))]},
		}
	}, func(domain.ChartRunDoc) int { return 1 })
}

func (g *generator) milestones() error {
	thresholds := []int64{100_000_000, 500_000_000, 1_000_000_000, 1_400_000_000}
	return list(g, "080-milestones", "milestones", g.cfg.Songs, func(i int) domain.MilestoneDoc {
		return domain.MilestoneDoc{
			FactDoc: domain.FactDoc{Sources: g.sources()}, WorkRef: domain.WorkRef{Song: "song-" + strconv.Itoa(i)},
			Platform: "platform-" + strconv.Itoa(g.rng.IntN(g.cfg.Platforms)), Metric: "streams",
			Threshold: thresholds[g.rng.IntN(len(thresholds))], Reached: g.after(g.released[i].Year, 4),
		}
	}, func(domain.MilestoneDoc) int { return 1 })
}

func (g *generator) records() error {
	return list(g, "090-records", "records", g.cfg.Songs/20, func(i int) domain.RecordDoc {
		s := g.rng.IntN(g.cfg.Songs)
		return domain.RecordDoc{
			FactDoc: domain.FactDoc{Sources: g.sources()}, Claim: fmt.Sprintf("Synthetic record %d", i), Date: g.after(g.released[s].Year, 3),
			Subjects: []string{"song:song-" + strconv.Itoa(s), "artist:" + g.actSlug(g.rng.IntN(g.cfg.Artists))},
		}
	}, func(domain.RecordDoc) int { return 1 })
}
