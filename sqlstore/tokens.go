package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/artistgraph/artistgraph/domain"
)

func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateToken makes a token for a writer and returns it: the only time the
// secret is seen. A name has one live token at a time.
func (db *DB) CreateToken(ctx context.Context, name, role string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", domain.Errorf(domain.EINVALID, "a token needs a name: whose is it?")
	}
	if !slices.Contains(domain.Roles, role) {
		return "", domain.Errorf(domain.EINVALID, "role %q is not one of %s", role, strings.Join(domain.Roles, ", "))
	}
	id := strings.ReplaceAll(randomText(6), "_", "x")
	secret := randomText(32)
	hash := sha256.Sum256([]byte(secret))
	_, err := db.write.ExecContext(ctx, `INSERT INTO tokens (id, name, role, hash, created) VALUES (?, ?, ?, ?, ?)`,
		id, name, role, hash[:], time.Now().UTC().Format(time.RFC3339))
	if err = db.eng.storageError(err); domain.ErrorCode(err) == domain.ECONFLICT {
		return "", domain.Errorf(domain.ECONFLICT, "%s already has a live token: revoke it first", name)
	}
	if err != nil {
		return "", db.eng.storageError(err)
	}
	return "ag_" + id + "_" + secret, nil
}

// RevokeToken revokes the live token of a name.
func (db *DB) RevokeToken(ctx context.Context, name string) error {
	res, err := db.write.ExecContext(ctx, `UPDATE tokens SET revoked = ? WHERE name = ? AND revoked IS NULL`, time.Now().UTC().Format(time.RFC3339), name)
	if err != nil {
		return db.eng.storageError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "%s has no live token", name)
	}
	return nil
}

// Tokens lists every token, live and revoked, oldest first.
func (db *DB) Tokens(ctx context.Context) ([]domain.Token, error) {
	rows, err := db.primary.QueryContext(ctx, `SELECT id, name, role, created, revoked FROM tokens ORDER BY created, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Token
	for rows.Next() {
		var t domain.Token
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &created, &revoked); err != nil {
			return nil, err
		}
		t.Created, _ = time.Parse(time.RFC3339, created)
		if revoked.Valid {
			at, _ := time.Parse(time.RFC3339, revoked.String)
			t.Revoked = &at
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

var errBadToken = domain.Errorf(domain.EUNAUTHENTICATED, "the token is not valid: it may be mistyped or revoked")

// Authenticate finds who a token belongs to. The token's ID finds the row;
// the secret's hash is then compared in constant time.
func (db *DB) Authenticate(ctx context.Context, token string) (*domain.Identity, error) {
	rest, ok := strings.CutPrefix(token, "ag_")
	id, secret, ok2 := strings.Cut(rest, "_")
	if !ok || !ok2 {
		return nil, errBadToken
	}
	var name, role string
	var hash []byte
	err := db.primary.QueryRowContext(ctx, `SELECT name, role, hash FROM tokens WHERE id = ? AND revoked IS NULL`, id).Scan(&name, &role, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	got := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(got[:], hash) != 1 {
		return nil, errBadToken
	}
	return &domain.Identity{Name: name, Role: role}, nil
}
