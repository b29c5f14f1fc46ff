package rules

import "testing"

func TestImageRef(t *testing.T) {
	for _, tc := range []struct {
		ref, name, tag, digest string
	}{
		{"nginx", "nginx", "", ""},
		{"nginx:1.25", "nginx", "1.25", ""},
		{"nginx:latest@sha256:ab12", "nginx", "latest", "sha256:ab12"},
		{"nginx@sha256:ab12", "nginx", "", "sha256:ab12"},
		{"registry.example.com:5000/shop/web", "registry.example.com:5000/shop/web", "", ""},
		{"registry.example.com:5000/shop/web:2", "registry.example.com:5000/shop/web", "2", ""},
		{"localhost:5000/app@sha256:ab12", "localhost:5000/app", "", "sha256:ab12"},
		{" ghcr.io/a/b:v1 ", "ghcr.io/a/b", "v1", ""},
	} {
		name, tag, digest := imageRef(tc.ref)
		if name != tc.name || tag != tc.tag || digest != tc.digest {
			t.Errorf("imageRef(%q) = %q, %q, %q; want %q, %q, %q", tc.ref, name, tag, digest, tc.name, tc.tag, tc.digest)
		}
	}
}

func TestCapName(t *testing.T) {
	for in, want := range map[string]string{
		"SYS_ADMIN": "SYS_ADMIN", "CAP_SYS_ADMIN": "SYS_ADMIN", "sys_admin": "SYS_ADMIN", " all ": "ALL",
	} {
		if got := capName(in); got != want {
			t.Errorf("capName(%q) = %q, want %q", in, got, want)
		}
	}
}
