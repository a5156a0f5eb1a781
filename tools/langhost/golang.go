package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// goHost runs Go programs (built as pulumi-language-go): `go build` in the program directory, then the binary with
// the settings the Go SDK (github.com/pulumi/pulumi/sdk/v3/go/pulumi, run.go) reads from its environment.
type goHost struct {
	*host
}

// goBinaryOption is the `runtime.options.binary` of Pulumi.yaml: a program built beforehand (no `go build`).
func goBinaryOption(s *structpb.Struct) (string, error) {
	if s == nil {
		return "", nil
	}
	v, ok := s.AsMap()["binary"]
	if !ok {
		return "", nil
	}
	str, isStr := v.(string)
	if !isStr || str == "" {
		return "", errors.New("runtime option binary must be a non-empty string (the path of a built program)")
	}
	return str, nil
}

func goTool() (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("could not find go on the $PATH (needed to build the program): %w", err)
	}
	return goBin, nil
}

// buildGoProgram runs `go build` for the program's entry point, returning the binary and a cleanup. The build's output
// goes to w (the engine shows it). The binary is written to a fixed path per program directory, under
// $PULUMI_RESTORE_LANGHOST_CACHE or else the user's cache directory (pulumi-restore-langhost/go/<hash>): `go build`
// then skips linking when nothing changed (its build ID matches), which saves about 5 s per run of an unchanged
// program; without a cache directory it builds into a temporary one.
func buildGoProgram(ctx context.Context, info *pulumirpc.ProgramInfo, w io.Writer) (string, func(), error) {
	goBin, err := goTool()
	if err != nil {
		return "", func() {}, err
	}
	entry := info.GetEntryPoint()
	if entry == "" || entry == "." {
		entry = "."
	} else if !strings.HasPrefix(entry, "./") && !filepath.IsAbs(entry) {
		entry = "./" + entry
	}
	cleanup := func() {}
	var outDir string
	cache := os.Getenv("PULUMI_RESTORE_LANGHOST_CACHE")
	if cache == "" {
		if userCache, cacheErr := os.UserCacheDir(); cacheErr == nil {
			cache = filepath.Join(userCache, "pulumi-restore-langhost")
		}
	}
	if cache != "" {
		key := sha256.Sum256([]byte(info.GetProgramDirectory() + "\x00" + entry))
		outDir = filepath.Join(cache, "go", hex.EncodeToString(key[:8]))
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			outDir = ""
		}
	}
	if outDir == "" {
		tmp, err := os.MkdirTemp("", "pulumi-restore-go-program-")
		if err != nil {
			return "", func() {}, err
		}
		outDir = tmp
		cleanup = func() { _ = os.RemoveAll(tmp) }
	}
	out := filepath.Join(outDir, "program")
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", out, entry)
	cmd.Dir = info.GetProgramDirectory()
	var errBuf bytes.Buffer
	cmd.Stdout = w
	cmd.Stderr = io.MultiWriter(w, &errBuf)
	if err := cmd.Run(); err != nil {
		cleanup()
		return "", func() {}, fmt.Errorf("go build in %s failed: %w\n%s", info.GetProgramDirectory(), err,
			strings.TrimSpace(errBuf.String()))
	}
	return out, cleanup, nil
}

// goRunEnv is the environment names of run.go (EnvMonitor, EnvEngine, EnvProject, ...), with the config keys as the
// engine gives them ("ns:key", which the Go SDK's config package reads).
func goRunEnv(req *pulumirpc.RunRequest, engine string) ([]string, error) {
	cfgEnv, err := pythonConfigEnv(req)
	if err != nil {
		return nil, err
	}
	env := append([]string{}, cfgEnv...)
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_MONITOR", req.GetMonitorAddress())
	add("PULUMI_ENGINE", engine)
	add("PULUMI_PROJECT", req.GetProject())
	add("PULUMI_STACK", req.GetStack())
	add("PULUMI_ORGANIZATION", req.GetOrganization())
	add("PULUMI_ROOT_DIRECTORY", req.GetInfo().GetRootDirectory())
	env = append(env, fmt.Sprintf("PULUMI_DRY_RUN=%t", req.GetDryRun()))
	if req.GetParallel() > 0 {
		env = append(env, fmt.Sprintf("PULUMI_PARALLEL=%d", req.GetParallel()))
	}
	return env, nil
}

// withoutEnv drops the variables named in names from env (so that the host's own never leak into the program).
func withoutEnv(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
outer:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue outer
			}
		}
		out = append(out, kv)
	}
	return out
}

// Run builds the program (unless runtime option binary names one) and runs it.
func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program info"}, nil
	}
	binary, err := goBinaryOption(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if binary != "" && !filepath.IsAbs(binary) {
		binary = filepath.Join(info.GetProgramDirectory(), binary)
	}
	if binary == "" {
		built, cleanup, err := buildGoProgram(ctx, info, struct{ io.Writer }{os.Stderr})
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		defer cleanup()
		binary = built
	}
	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()
	env, err := goRunEnv(req, engine)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not pass the configuration: " + err.Error()}, nil
	}
	base := withoutEnv(os.Environ(), "PULUMI_MONITOR", "PULUMI_ENGINE", "PULUMI_PROJECT", "PULUMI_STACK",
		"PULUMI_ORGANIZATION", "PULUMI_ROOT_DIRECTORY", "PULUMI_DRY_RUN", "PULUMI_PARALLEL", "PULUMI_CONFIG",
		"PULUMI_CONFIG_SECRET_KEYS", "PULUMI_PLUGINS")
	cmd := exec.Command(binary, req.GetArgs()...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(base, env...)
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return h.runChild(ctx, cmd, "the Go program")
}

// GetRequiredPackages lists the resource plugins named by pulumi-plugin.json files of the program's module
// dependencies (`go list -m -json all`; a generated Go SDK ships one beside its package), as Pulumi's Go SDKs declare
// them.
func (h *goHost) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	goBin, err := goTool()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, goBin, "list", "-m", "-json", "all")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("go list -m all in %s: %s", cmd.Dir, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, err
	}
	byKey := map[string]*pulumirpc.PackageDependency{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m struct {
			Dir string `json:"Dir"`
		}
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		if m.Dir == "" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(m.Dir, "pulumi-plugin.json"))
		deeper, _ := filepath.Glob(filepath.Join(m.Dir, "*", "pulumi-plugin.json"))
		for _, f := range append(files, deeper...) {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			var p struct {
				Resource bool   `json:"resource"`
				Name     string `json:"name"`
				Version  string `json:"version"`
				Server   string `json:"server"`
			}
			if json.Unmarshal(b, &p) != nil || !p.Resource || p.Name == "" {
				continue
			}
			v := p.Version
			if v != "" && !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			byKey[p.Name+"@"+v] = &pulumirpc.PackageDependency{Name: p.Name, Kind: "resource", Version: v, Server: p.Server}
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pkgs := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, k := range keys {
		pkgs = append(pkgs, byKey[k])
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

// RunPlugin: plugins written in Go are not supported by this host.
func (h *goHost) RunPlugin(req *pulumirpc.RunPluginRequest, _ pulumirpc.LanguageRuntime_RunPluginServer) error {
	return status.Error(codes.Unimplemented, "pulumi-restore's Go language host runs programs, not plugins")
}

// InstallDependencies runs `go mod tidy` (the module proxy or the module cache provides the modules; tidy also
// records go.sum entries for an SDK that Link just added).
func (h *goHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	goBin, err := goTool()
	if err != nil {
		return err
	}
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	stdout, stderr := installStreams(server)
	_, _ = fmt.Fprintf(stdout, "$ go mod tidy\n")
	cmd := exec.CommandContext(server.Context(), goBin, "mod", "tidy")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod tidy in %s failed: %w", dir, err)
	}
	return nil
}

func (h *goHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	goBin, err := goTool()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, goBin, "env", "GOVERSION").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOVERSION: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: goBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "go"),
		Metadata:   map[string]string{"languageHost": "pulumi-restore " + version},
	}, nil
}

// GetProgramDependencies lists the modules the program's go.mod requires directly.
func (h *goHost) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	goBin, err := goTool()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, goBin, "mod", "edit", "-json")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod edit -json in %s: %w", cmd.Dir, err)
	}
	var mod struct {
		Require []struct {
			Path     string `json:"Path"`
			Version  string `json:"Version"`
			Indirect bool   `json:"Indirect"`
		} `json:"Require"`
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, fmt.Errorf("reading go.mod: %w", err)
	}
	var deps []*pulumirpc.DependencyInfo
	for _, r := range mod.Require {
		if !r.Indirect || req.GetTransitiveDependencies() {
			deps = append(deps, &pulumirpc.DependencyInfo{Name: r.Path, Version: r.Version})
		}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *goHost) GeneratePackage(ctx context.Context,
	req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return generatePackage(ctx, req, generateGo)
}

// Link points the program's go.mod at the generated SDKs the engine hands over (`pulumi install` for the `packages`
// of Pulumi.yaml, generated under sdks/): a require of each SDK's module and a replace directive to its directory.
// The following InstallDependencies (`go mod tidy`) completes go.sum.
func (h *goHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	goBin, err := goTool()
	if err != nil {
		return nil, err
	}
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		return nil, errors.New("Link: no program directory")
	}
	var imports []string
	for _, p := range req.GetPackages() {
		rel := filepath.ToSlash(filepath.Clean(p.GetPath()))
		modFile := filepath.Join(dir, rel, "go.mod")
		b, err := os.ReadFile(modFile)
		if err != nil {
			return nil, fmt.Errorf("the generated Go SDK has no go.mod (%s): %w", modFile, err)
		}
		module := ""
		for _, line := range strings.Split(string(b), "\n") {
			if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
				module = strings.Trim(strings.TrimSpace(m), `"`)
				break
			}
		}
		if module == "" {
			return nil, fmt.Errorf("%s names no module", modFile)
		}
		cmd := exec.CommandContext(ctx, goBin, "mod", "edit",
			"-require="+module+"@v0.0.0-00010101000000-000000000000", "-replace="+module+"=./"+rel)
		cmd.Dir = dir
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go mod edit in %s: %w: %s", dir, err, strings.TrimSpace(string(msg)))
		}
		pkgDirs, _ := filepath.Glob(filepath.Join(dir, rel, "*", "pulumi-plugin.json"))
		for _, f := range pkgDirs {
			imports = append(imports, fmt.Sprintf("import %q", module+"/"+filepath.Base(filepath.Dir(f))))
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "To use the generated SDK in Go:\n\n  " +
		strings.Join(imports, "\n  ")}, nil
}
