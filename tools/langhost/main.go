// Command langhost is the language host for the Pulumi engine written for pulumi-restore, for Node.js, Python and Go
// programs. scripts/install-pulumi-cli.sh builds it once and installs it as pulumi-language-nodejs,
// pulumi-language-python and pulumi-language-go; it picks its language from the name it was started as (or -runtime).
//
// Why it exists: our build machines reach the Go module proxy, which serves the Pulumi CLI
// (github.com/pulumi/pulumi/pkg/v3) but not Pulumi's own language host modules; see scripts/install-pulumi-cli.sh.
// The engine talks to a language host over gRPC (the LanguageRuntime service of Pulumi's protocol, whose Go bindings
// come with github.com/pulumi/pulumi/sdk/v3). Every language answers Handshake, GetPluginInfo, Cancel,
// GeneratePackage (`pulumi package gen-sdk`, `pulumi install` for the `packages` of Pulumi.yaml) and GenerateProgram
// (`pulumi import` writing the imported resources' code) with Pulumi's code generators in
// github.com/pulumi/pulumi/pkg/v3/codegen (see codegen.go). Per language:
//
// Node.js (this file), for `preview`, `up`, `refresh`, `destroy`, `import` and Node.js plugins:
//   - GetRequiredPackages: the resource plugins declared by packages under the program's node_modules
//     ("pulumi": {"resource": true} in their package.json);
//   - Run: starts `node @pulumi/pulumi/cmd/run` (resolved from the program directory, as Node would) with the
//     monitor and engine addresses, the stack config in PULUMI_CONFIG and the secret keys in
//     PULUMI_CONFIG_SECRET_KEYS, and reports its exit;
//   - RunPlugin: starts `node @pulumi/pulumi/cmd/run-plugin <dir>` for a plugin written in Node.js (PulumiPlugin.yaml
//     with the nodejs runtime), streaming its output back;
//   - InstallDependencies (`npm install`), About, GetProgramDependencies.
//
// Python (python.go, pythonrun.py): Run starts the program with our own entry (pythonrun.py) on the pulumi package's
// public runtime API, in the project's virtualenv; InstallDependencies makes the virtualenv and pip-installs
// requirements.txt; Link adds generated SDKs to requirements.txt.
//
// Go (golang.go): Run builds the program with `go build` and runs it with the environment the Go SDK reads.
//
// Python and Go programs also answer Link (adding a generated SDK to requirements.txt / go.mod). GenerateProject,
// Pack, Template and, for Node.js, Link are not implemented and answer Unimplemented.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time (-ldflags "-X main.version=...") to the Pulumi version it was built against.
var version = "0.0.0-dev"

// userActionableExit is the exit code with which @pulumi/pulumi/cmd/run says it has already shown the user an
// actionable message; the engine is then told to stop without printing more ("bail").
const userActionableExit = 32

func main() {
	flag.String("tracing", "", "tracing endpoint (accepted and ignored)")
	// One binary serves three languages; the engine starts it as pulumi-language-<runtime>, which picks the runtime.
	runtimeName := flag.String("runtime", runtimeFromName(os.Args[0]), "runtime: nodejs, python or go")
	showVersion := flag.Bool("version", false, "print the version and exit")
	// -v and -logtostderr, which the engine may pass, are registered by glog (through the sdk's rpcutil).
	flag.String("root", "", "accepted and ignored")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	h := newHost(flag.Arg(0))
	var server pulumirpc.LanguageRuntimeServer
	switch *runtimeName {
	case "nodejs":
		server = h
	case "python":
		server = &pythonHost{h}
	case "go":
		server = &goHost{h}
	default:
		fmt.Fprintf(os.Stderr, "pulumi-language-%s: unsupported runtime %q (nodejs, python or go)\n",
			*runtimeName, *runtimeName)
		os.Exit(1)
	}
	name := "pulumi-language-" + *runtimeName

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()

	if h.engineAddress != "" {
		// Exit when the engine goes away, so that a killed CLI leaves no language host behind.
		if err := rpcutil.Healthcheck(ctx, h.engineAddress, 5*time.Minute, stop); err != nil {
			fmt.Fprintf(os.Stderr, "%s: health check: %v\n", name, err)
			os.Exit(1)
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, server)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: could not start the gRPC server: %v\n", name, err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: gRPC server stopped: %v\n", name, err)
		os.Exit(1)
	}
}

// runtimeFromName is the runtime of a binary named pulumi-language-<runtime> (nodejs for any other name).
func runtimeFromName(arg0 string) string {
	base := filepath.Base(arg0)
	if r, ok := strings.CutPrefix(base, "pulumi-language-"); ok && r != "" {
		return r
	}
	return "nodejs"
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	// children are the node processes started by Run and RunPlugin, interrupted by Cancel.
	children map[*exec.Cmd]struct{}
}

func newHost(engineAddress string) *host {
	return &host{engineAddress: engineAddress, children: map[*exec.Cmd]struct{}{}}
}

// options are the `runtime.options` of Pulumi.yaml that matter to running a program.
type options struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(s *structpb.Struct) (options, error) {
	o := options{typescript: true}
	if s == nil {
		return o, nil
	}
	m := s.AsMap()
	if v, ok := m["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("runtime option typescript must be a boolean")
		}
		o.typescript = b
	}
	if v, ok := m["tsconfig"]; ok {
		str, isStr := v.(string)
		if !isStr {
			return o, errors.New("runtime option tsconfig must be a string")
		}
		o.tsconfig = str
	}
	if v, ok := m["nodeargs"]; ok {
		str, isStr := v.(string)
		if !isStr {
			return o, errors.New("runtime option nodeargs must be a string")
		}
		o.nodeargs = strings.Fields(str)
	}
	return o, nil
}

// resolveModule asks node where `mod` resolves from dir, as the program itself would resolve it.
func resolveModule(ctx context.Context, node, dir, mod string) (string, error) {
	script := fmt.Sprintf("try { console.log(require.resolve(%q)) } catch (e) { "+
		"console.error(e.code === 'MODULE_NOT_FOUND' ? %q : e.message); process.exit(1) }",
		mod, "The Pulumi SDK (@pulumi/pulumi) is not installed where the program is: run npm install in "+dir)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", errors.New(strings.TrimSpace(string(ee.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) track(cmd *exec.Cmd, on bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if on {
		h.children[cmd] = struct{}{}
	} else {
		delete(h.children, cmd)
	}
}

// Handshake is called when the engine attaches to an already running host; it carries the engine address.
func (h *host) Handshake(ctx context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// packageJSON holds the parts of a package.json that declare a Pulumi resource plugin.
type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// pluginName follows the Node.js convention: `@pulumi/x` is plugin x; another scope keeps its name without the `@`.
func pluginName(p packageJSON) string {
	if p.Pulumi.Name != "" {
		return p.Pulumi.Name
	}
	if strings.HasPrefix(p.Name, "@pulumi/") {
		return strings.TrimPrefix(p.Name, "@pulumi/")
	}
	return strings.TrimPrefix(p.Name, "@")
}

// findPlugins walks dir's node_modules (deeply, following each real directory once) for plugin-declaring packages.
func findPlugins(dir string) ([]*pulumirpc.PackageDependency, error) {
	seen := map[string]bool{}
	found := map[string]*pulumirpc.PackageDependency{}
	var walk func(d string, inNodeModules bool) error
	walk = func(d string, inNodeModules bool) error {
		real, err := filepath.EvalSymlinks(d)
		if err != nil || seen[real] {
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil
		}
		for _, e := range entries {
			p := filepath.Join(d, e.Name())
			info, err := os.Stat(p)
			if err != nil {
				continue
			}
			if info.IsDir() {
				if !inNodeModules && e.Name() != "node_modules" {
					continue
				}
				if err := walk(p, true); err != nil {
					return err
				}
				continue
			}
			if !inNodeModules || e.Name() != "package.json" {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			var pj packageJSON
			if json.Unmarshal(b, &pj) != nil || !pj.Pulumi.Resource || pj.Name == "" {
				continue
			}
			v := pj.Pulumi.Version
			if v == "" {
				v = pj.Version
			}
			if v != "" && !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			name := pluginName(pj)
			found[name+"@"+v] = &pulumirpc.PackageDependency{
				Name: name, Kind: "resource", Version: v, Server: pj.Pulumi.Server,
			}
		}
		return nil
	}
	if err := walk(dir, false); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, k := range keys {
		out = append(out, found[k])
	}
	return out, nil
}

func (h *host) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := findPlugins(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

// configEnv turns the stack config into what @pulumi/pulumi reads: PULUMI_CONFIG (keys as `ns:config:name`, the form
// every SDK version understands) and PULUMI_CONFIG_SECRET_KEYS.
func configEnv(req *pulumirpc.RunRequest) ([]string, error) {
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		i := strings.Index(k, ":")
		if i <= 0 {
			return nil, fmt.Errorf("config key %q has no namespace", k)
		}
		name := k[i+1:]
		if !strings.HasPrefix(name, "config:") {
			name = "config:" + name
		}
		cfg[k[:i]+":"+name] = v
	}
	c, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	keys := req.GetConfigSecretKeys()
	if keys == nil {
		keys = []string{}
	}
	s, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(c), "PULUMI_CONFIG_SECRET_KEYS=" + string(s)}, nil
}

func optionEnv(o options) []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// Run executes the program: `node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor ... <entry point> [args]`.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program info"}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	opts, err := parseOptions(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	runPath, err = resolveModule(ctx, node, info.GetProgramDirectory(), runPath)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := configEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not pass the configuration: " + err.Error()}, nil
	}

	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engine)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", fmt.Sprint(req.GetParallel()))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(append(os.Environ(), env...), optionEnv(opts)...)
	// Wrapped writers: node may switch its inherited descriptors to non-blocking mode, which must not leak to ours.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: "could not start node: " + err.Error()}, nil
	}
	h.track(cmd, true)
	defer h.track(cmd, false)
	stopOnDone := context.AfterFunc(ctx, func() { _ = cmd.Process.Signal(os.Interrupt) })
	defer stopOnDone()
	err = cmd.Wait()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() == userActionableExit {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", ee.ExitCode())}, nil
	}
	return &pulumirpc.RunResponse{Error: "could not run the program: " + err.Error()}, nil
}

// streamWriter sends what a child writes as RunPlugin or InstallDependencies messages.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := append([]byte{}, p...)
	if err := w.send(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin starts a plugin written in Node.js: `node <@pulumi/pulumi/cmd/run-plugin> <plugin dir> [args]`.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	info := req.GetInfo()
	if info == nil {
		return status.Error(codes.InvalidArgument, "no program info")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	opts, err := parseOptions(info.GetOptions())
	if err != nil {
		return err
	}
	mod := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		mod = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := resolveModule(ctx, node, info.GetProgramDirectory(), mod)
	if err != nil {
		return err
	}
	args := append([]string{runPath}, opts.nodeargs...)
	if req.GetKind() == "analyzer" {
		args = append(append(args, req.GetArgs()...), info.GetProgramDirectory())
	} else {
		args = append(append(args, info.GetProgramDirectory()), req.GetArgs()...)
	}
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	// Not exec.CommandContext: the end of the stream does not kill the plugin at once (see stopAfterStream).
	cmd := exec.Command(node, args...)
	cmd.Dir = req.GetPwd()
	if req.GetKind() == "analyzer" {
		cmd.Dir = info.GetProgramDirectory()
	}
	cmd.Env = append(append([]string{}, req.GetEnv()...), optionEnv(opts)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start the plugin: %w", err)
	}
	h.track(cmd, true)
	defer h.track(cmd, false)
	exited := make(chan struct{})
	go stopAfterStream(ctx, cmd.Process, exited, pluginGrace)
	err = cmd.Wait()
	close(exited)
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return fmt.Errorf("could not run the plugin: %w", err)
		}
		code = ee.ExitCode()
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// pluginGrace is how long a plugin outlives the RunPlugin stream that started it (unless this host is cancelled first).
const pluginGrace = 10 * time.Second

// stopAfterStream stops a plugin some time after its RunPlugin stream (ctx) ends: interrupted after grace, killed 5 s
// later if still running. Returns when the plugin has exited (exited is closed).
//
// Why not at once: the engine stops a plugin by ending its stream, and expects to have sent it a Cancel RPC first,
// which the plugin acknowledges; a plugin that is gone before that Cancel is reported as "exited prematurely. This is
// *always* a bug in the provider" with its output dumped. `pulumi install` (v3.274) runs the plugin that serves the
// schema under the context of its install step, which ends when the steps are done, and sends Cancel only afterwards,
// closing its plugin host (milliseconds later). Killed with its stream, our plugin missed that Cancel on every
// successful `pulumi install` of a Python or Go project. The engine's own shutdown is not delayed: it cancels this
// language host after its plugins, and Cancel interrupts every child at once.
func stopAfterStream(ctx context.Context, p *os.Process, exited <-chan struct{}, grace time.Duration) {
	select {
	case <-exited:
		return
	case <-ctx.Done():
	}
	select {
	case <-exited:
		return
	case <-time.After(grace):
	}
	_ = p.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = p.Kill()
	}
}

// InstallDependencies runs `npm install` in the program directory, streaming its output.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	// A plugin directory without a package.json of its own (pulumi-restore's plugin/, in a checkout or in
	// node_modules/pulumi-restore) belongs to the package around it: npm would walk up and reinstall that package's
	// whole tree (in a checkout: replacing a symlinked node_modules; in node_modules: a second copy of every
	// dependency). When the plugin's SDK already resolves from there, its dependencies are installed.
	if req.GetIsPlugin() && !fileExists(filepath.Join(dir, "package.json")) {
		if node, err := exec.LookPath("node"); err == nil {
			if _, err := resolveModule(server.Context(), node, dir, "@pulumi/pulumi/package.json"); err == nil {
				_, err := fmt.Fprintf(stdout, "%s has no package.json: its dependencies are those of the package "+
					"around it, already installed (nothing to install)\n", dir)
				return err
			}
		}
	}
	cmd := exec.CommandContext(server.Context(), "npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install in %s failed: %w", dir, err)
	}
	return nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, _ := exec.CommandContext(ctx, node, "--version").Output()
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimSpace(string(out)),
		Metadata:   map[string]string{"packagemanager": "npm", "languageHost": "pulumi-restore " + version},
	}, nil
}

// GetProgramDependencies lists the packages the program's package.json names, with their installed versions.
func (h *host) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return &pulumirpc.GetProgramDependenciesResponse{}, nil
	}
	var pj struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(b, &pj); err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(dir, "package.json"), err)
	}
	names := map[string]bool{}
	for n := range pj.Dependencies {
		names[n] = true
	}
	for n := range pj.DevDependencies {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	var deps []*pulumirpc.DependencyInfo
	for _, n := range sorted {
		v := installedVersion(dir, n)
		if v == "" {
			continue
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// installedVersion is the version of package name as Node would find it from dir (walking up node_modules).
func installedVersion(dir, name string) string {
	for d := dir; ; d = filepath.Dir(d) {
		f, err := os.Open(filepath.Join(d, "node_modules", name, "package.json"))
		if err == nil {
			var pj struct {
				Version string `json:"version"`
			}
			err = json.NewDecoder(bufio.NewReader(f)).Decode(&pj)
			_ = f.Close()
			if err == nil {
				return pj.Version
			}
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func (h *host) RuntimeOptionsPrompts(ctx context.Context,
	req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Cancel interrupts the programs and plugins this host started.
func (h *host) Cancel(ctx context.Context, _ *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.children {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
	return &emptypb.Empty{}, nil
}

// fileExists says whether p is an existing regular file.
func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}
