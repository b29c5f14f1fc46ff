package rules

import "github.com/fixity-sec/fixity/pkg/secrets"

// The secret detector lives in pkg/secrets, shared with the image checks
// (pkg/image/harden); these names keep the rules reading as they did.

// secretMatch is one secret found in a text; it never carries the secret.
type secretMatch struct{ secrets.Match }

// describe renders the match for a finding message.
func (m secretMatch) describe() string { return m.Describe() }

// findSecrets returns the secrets in text, in order of position.
func findSecrets(text string) []secretMatch {
	ms := secrets.Find(text)
	if len(ms) == 0 {
		return nil
	}
	out := make([]secretMatch, len(ms))
	for i, m := range ms {
		out[i] = secretMatch{m}
	}
	return out
}

// secretName reports whether a key name looks like it holds a secret.
func secretName(name string) bool { return secrets.IsSecretName(name) }

// literalSecretValue reports whether v is a literal value rather than a
// reference, a template expression or a placeholder.
func literalSecretValue(v string) bool { return secrets.IsLiteral(v) }
