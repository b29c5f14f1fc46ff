package kubernetes

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// BenchmarkLoad loads a tree of a few thousand generated manifests, each a
// Deployment and a Service in one file.
func BenchmarkLoad(b *testing.B) {
	const files = 3000
	dir := b.TempDir()
	for i := range files {
		sub := filepath.Join(dir, fmt.Sprintf("app%02d", i%50))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		src := fmt.Sprintf(benchManifest, i, i, i, i, i)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("m%d.yaml", i)), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	w, err := walk.Walk(ctx, dir, walk.Options{Match: Match})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		st, err := LoadFiles(ctx, dir, w.Files, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(st.Resources) != 2*files {
			b.Fatalf("%d resources", len(st.Resources))
		}
	}
}

const benchManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%d
  namespace: team
  labels:
    app: app-%d
spec:
  replicas: 3
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      serviceAccountName: app
      containers:
        - name: app
          image: registry.example.com/app:%d
          ports:
            - containerPort: 8080
          env:
            - name: A
              value: "1"
            - name: B
              value: "2"
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
---
apiVersion: v1
kind: Service
metadata:
  name: app-%d
spec:
  selector:
    app: app-%d
  ports:
    - port: 80
      targetPort: 8080
`
