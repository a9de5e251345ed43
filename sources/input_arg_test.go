package sources

import "testing"

// Arg writes an input as fivexx's command line takes it, for advice that
// gives a command (classify: proxyExample).
func TestSpecArg(t *testing.T) {
	for _, tc := range []struct {
		spec Spec
		want string
	}{
		{Spec{Path: "/var/log/traefik/traefik.log"}, "/var/log/traefik/traefik.log"},
		{Spec{Path: "-"}, "-"},
		{Spec{Path: "./logs/a_b-c.log"}, "./logs/a_b-c.log"},
		{Spec{Path: "my logs/traefik.log"}, "'my logs/traefik.log'"},
		{Spec{Path: "it's.log"}, `'it'\''s.log'`},
		{Spec{Path: "$HOME/x.log"}, "'$HOME/x.log'"},
		{Spec{Path: "docker logs -f traefik", Command: true}, "--cmd 'docker logs -f traefik'"},
		{Spec{Path: "-", Command: true}, "--cmd -"},
		{Spec{Path: ""}, "''"},
	} {
		if got := tc.spec.Arg(); got != tc.want {
			t.Errorf("%+v: Arg %q, want %q", tc.spec, got, tc.want)
		}
	}
}
