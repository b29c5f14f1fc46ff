package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// dockerfiles writes the Dockerfile part of a mixed corpus, one image per
// budget entry (each is 1) under apps/<team>/<component>/Dockerfile:
// multi-stage builds of Go, Node.js, Python and Java services with global
// and per-stage ARGs, some hardened (pinned digests, a non-root user, a
// health check), some not.
func dockerfiles(rng *rand.Rand, budgets []int, fs *FormatStats) []outFile {
	teams := max(1, min(len(serviceNames), len(budgets)))
	used := map[string]bool{}
	var out []outFile
	for i := range budgets {
		team := unitName(i % teams)
		w := newWriter(rng)
		comp := components[w.rng.IntN(len(components))]
		for n := 2; used[team+"/"+comp]; n++ {
			comp = fmt.Sprintf("%s-%d", components[w.rng.IntN(len(components))], n)
		}
		used[team+"/"+comp] = true
		d := &image{w: w, team: team, comp: comp, name: team + "-" + comp}
		switch w.rng.IntN(4) {
		case 0:
			d.golang()
		case 1:
			d.node()
		case 2:
			d.python()
		default:
			d.java()
		}
		fs.count("dockerfile", 1)
		out = append(out, outFile{path: "apps/" + team + "/" + comp + "/Dockerfile", data: []byte(w.b.String())})
	}
	return out
}

type image struct {
	w                *writer
	team, comp, name string
}

// base returns an image reference, pinned by digest or not.
func (d *image) base(ref string) string {
	w := d.w
	switch {
	case w.bad() && w.bad():
		repo, _, _ := strings.Cut(ref, ":")
		return w.pick(repo+":latest", repo)
	case w.bad():
		return ref
	}
	return ref + "@" + w.digest()
}

func (d *image) header(lang string) {
	d.w.p("# syntax=docker/dockerfile:1.7\n# %s: the %s service of the %s team (%s).\n\n", d.name, d.comp, d.team, lang)
}

// runtime writes the common tail of a final stage: labels, the user, the
// port, the health check and the command.
func (d *image) runtime(user, healthcheck, cmd string, port int) {
	w := d.w
	w.p("ARG VERSION=dev\nLABEL org.opencontainers.image.title=%q \\\n      org.opencontainers.image.version=\"${VERSION}\" \\\n      org.opencontainers.image.source=\"https://git.acme.example/%s/%s\"\n", d.name, d.team, d.comp)
	if w.bad() {
		w.p("# Lets the release job pull configuration at start-up.\nENV CONFIG_TOKEN=%s\n", w.hex(32))
	}
	if w.bad() && w.bad() {
		w.p("RUN chmod -R 777 /app\n")
	}
	if !w.bad() {
		w.p("USER %s\n", user)
	}
	w.p("EXPOSE %d\n", port)
	if w.bad() && w.bad() {
		w.p("EXPOSE 22\n")
	}
	if !w.bad() && healthcheck != "" {
		w.p("HEALTHCHECK --interval=30s --timeout=3s --retries=3 \\\n    CMD %s\n", healthcheck)
	}
	w.p("ENTRYPOINT %s\n", cmd)
}

func (d *image) golang() {
	w := d.w
	d.header("Go")
	w.p("ARG GO_VERSION=1.22.%d\nARG DISTROLESS=gcr.io/distroless/static-debian12:nonroot\n\n", 1+w.rng.IntN(5))
	w.p("FROM %s AS build\n", d.base("golang:${GO_VERSION}-bookworm"))
	w.p("WORKDIR /src\nENV CGO_ENABLED=0 GOOS=linux GOFLAGS=-trimpath\n")
	w.p("COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify\nCOPY . .\nARG VERSION=dev\n")
	w.p("RUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    go build -ldflags=\"-s -w -X main.version=${VERSION}\" -o /out/%s ./cmd/%s\n\n", d.comp, d.comp)
	if w.chance(0.3) {
		w.p("FROM build AS test\nRUN go vet ./... && go test ./...\n\n")
	}
	if w.bad() {
		w.p("FROM %s\n", w.pick("alpine", "alpine:latest", "ubuntu:22.04"))
		w.p("RUN apk add --no-cache ca-certificates curl || (apt-get update && apt-get install -y ca-certificates curl)\n")
		w.p("COPY --from=build /out/%s /app/%s\n", d.comp, d.comp)
		d.runtime("65532:65532", "curl -fsS http://127.0.0.1:8080/healthz || exit 1", fmt.Sprintf("[\"/app/%s\"]", d.comp), 8080)
		return
	}
	w.p("FROM ${DISTROLESS}\nCOPY --from=build /out/%s /app/%s\n", d.comp, d.comp)
	d.runtime("65532:65532", fmt.Sprintf("[\"/app/%s\", \"healthcheck\"]", d.comp), fmt.Sprintf("[\"/app/%s\", \"serve\"]", d.comp), 8080)
}

func (d *image) node() {
	w := d.w
	d.header("Node.js")
	w.p("ARG NODE_VERSION=20.%d.0\n\n", 10+w.rng.IntN(6))
	w.p("FROM %s AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n\n", d.base("node:${NODE_VERSION}-alpine"))
	w.p("FROM deps AS build\nRUN npm ci\nCOPY . .\nRUN npm run build\n\n")
	w.p("FROM %s\nWORKDIR /app\nENV NODE_ENV=production\n", d.base("node:${NODE_VERSION}-alpine"))
	if w.bad() {
		w.p("RUN curl -fsSL https://get.example-apm.com/install.sh | sh\n")
	}
	w.p("COPY --from=deps /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\n")
	d.runtime("node", "[\"node\", \"dist/healthcheck.js\"]", "[\"node\", \"dist/server.js\"]", 3000)
}

func (d *image) python() {
	w := d.w
	d.header("Python")
	w.p("ARG PYTHON_VERSION=3.12\n\n")
	w.p("FROM %s AS build\nWORKDIR /src\n", d.base("python:${PYTHON_VERSION}-slim"))
	if w.bad() {
		w.p("RUN apt-get update && apt-get upgrade -y && apt-get install -y build-essential libpq-dev\n")
	} else {
		w.p("RUN apt-get update \\\n && apt-get install -y --no-install-recommends build-essential=12.9 libpq-dev=15.6-0+deb12u1 \\\n && rm -rf /var/lib/apt/lists/*\n")
	}
	w.p("COPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\n")
	w.p("FROM %s\nARG PYTHON_VERSION\nWORKDIR /app\n", d.base("python:${PYTHON_VERSION}-slim"))
	if w.chance(0.4) {
		w.p("RUN <<EOF\nset -eu\ngroupadd --system app\nuseradd --system --gid app --home /app app\nEOF\n")
	}
	if w.bad() {
		w.p("ADD https://downloads.example.com/tools/%s-cli /usr/local/bin/%s-cli\n", d.team, d.team)
	}
	w.p("COPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\nCOPY src/ ./src/\n")
	d.runtime("app", "[\"python\", \"-m\", \"src.healthcheck\"]", "[\"python\", \"-m\", \"src.main\"]", 8000)
}

func (d *image) java() {
	w := d.w
	d.header("Java")
	w.p("ARG JAVA_VERSION=21\n\n")
	w.p("FROM %s AS build\nWORKDIR /src\n", d.base("eclipse-temurin:${JAVA_VERSION}-jdk"))
	w.p("COPY gradlew settings.gradle.kts build.gradle.kts ./\nCOPY gradle/ gradle/\nRUN ./gradlew --no-daemon dependencies\nCOPY src/ src/\nRUN ./gradlew --no-daemon bootJar -x test\n\n")
	w.p("FROM %s\nWORKDIR /app\n", d.base("eclipse-temurin:${JAVA_VERSION}-jre"))
	if w.bad() {
		w.p("MAINTAINER %s team <%s@acme.example>\nRUN apt-get update && apt-get install -y curl sudo\n", d.team, d.team)
	}
	w.p("COPY --from=build /src/build/libs/%s.jar /app/app.jar\n", d.comp)
	d.runtime("1000:1000", "curl -fsS http://127.0.0.1:8080/actuator/health || exit 1", "[\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/app.jar\"]", 8080)
}
