package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pythonRunScript is the entry that starts a program with the pulumi package's runtime API (see pythonrun.py).
//
//go:embed pythonrun.py
var pythonRunScript string

// pluginScanScript prints, as JSON, the pulumi-plugin.json of every installed distribution that ships one (the file
// Pulumi's SDK generator puts in a generated Python SDK to name the resource plugin it needs).
const pluginScanScript = `
import importlib.metadata, json
found = []
for d in importlib.metadata.distributions():
    for f in (d.files or []):
        if f.name == "pulumi-plugin.json":
            try:
                found.append(json.loads(f.read_text()))
            except Exception:
                pass
print(json.dumps(found))
`

// pythonHost runs Python programs (built as pulumi-language-python). It shares the engine address, the child
// tracking, Handshake, Cancel and GetPluginInfo with the Node.js host.
type pythonHost struct {
	*host
}

// pythonOptions are the `runtime.options` of Pulumi.yaml that matter here.
type pythonOptions struct {
	// virtualenv is the project's virtual environment, relative to the project directory ("venv" when not given).
	virtualenv string
	explicit   bool
}

func parsePythonOptions(s *structpb.Struct) (pythonOptions, error) {
	o := pythonOptions{virtualenv: "venv"}
	if s == nil {
		return o, nil
	}
	m := s.AsMap()
	if v, ok := m["virtualenv"]; ok {
		str, isStr := v.(string)
		if !isStr || str == "" {
			return o, errors.New("runtime option virtualenv must be a non-empty string (a directory, relative to " +
				"the project)")
		}
		o.virtualenv, o.explicit = str, true
	}
	if v, ok := m["toolchain"]; ok {
		if str, _ := v.(string); str != "pip" {
			return o, fmt.Errorf("runtime option toolchain %v is not supported by this language host: only pip", v)
		}
	}
	return o, nil
}

// venvDir is the virtualenv's absolute path for a program.
func venvDir(info *pulumirpc.ProgramInfo, o pythonOptions) string {
	if filepath.IsAbs(o.virtualenv) {
		return o.virtualenv
	}
	root := info.GetRootDirectory()
	if root == "" {
		root = info.GetProgramDirectory()
	}
	return filepath.Join(root, o.virtualenv)
}

// pythonFor picks the interpreter of a program: the virtualenv's when it exists; else PULUMI_PYTHON_CMD; else python3.
// A virtualenv named in Pulumi.yaml must exist (`pulumi install` makes it).
func pythonFor(info *pulumirpc.ProgramInfo, o pythonOptions) (python string, venv string, err error) {
	dir := venvDir(info, o)
	py := filepath.Join(dir, "bin", "python")
	if _, statErr := os.Stat(py); statErr == nil {
		return py, dir, nil
	}
	if o.explicit {
		return "", "", fmt.Errorf("the virtualenv %s (runtime option virtualenv) does not exist: run `pulumi install`",
			dir)
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		p, lookErr := exec.LookPath(cmd)
		if lookErr != nil {
			return "", "", fmt.Errorf("PULUMI_PYTHON_CMD=%s: %w", cmd, lookErr)
		}
		return p, "", nil
	}
	for _, name := range []string{"python3", "python"} {
		if p, lookErr := exec.LookPath(name); lookErr == nil {
			return p, "", nil
		}
	}
	return "", "", errors.New("no Python interpreter: no virtualenv at " + dir +
		" (run `pulumi install`), PULUMI_PYTHON_CMD unset, no python3 on $PATH")
}

// venvEnv is the environment of a process run inside a virtualenv, as its activate script would set it.
func venvEnv(base []string, venv string) []string {
	if venv == "" {
		return base
	}
	out := make([]string, 0, len(base)+2)
	path := ""
	for _, kv := range base {
		switch {
		case strings.HasPrefix(kv, "PATH="):
			path = strings.TrimPrefix(kv, "PATH=")
		case strings.HasPrefix(kv, "VIRTUAL_ENV="), strings.HasPrefix(kv, "PYTHONHOME="):
		default:
			out = append(out, kv)
		}
	}
	return append(out, "VIRTUAL_ENV="+venv, "PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+path)
}

// pythonConfigEnv passes the stack config as the Python SDK reads it: keys as the engine gives them ("ns:key").
func pythonConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
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

func (h *pythonHost) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	info := req.GetInfo()
	o, err := parsePythonOptions(info.GetOptions())
	if err != nil {
		return nil, err
	}
	python, venv, err := pythonFor(info, o)
	if err != nil {
		// No environment yet (before `pulumi install`): nothing is known to be required.
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	cmd := exec.CommandContext(ctx, python, "-c", pluginScanScript)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = venvEnv(os.Environ(), venv)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the Python packages that need a Pulumi plugin (%s): %w", python, err)
	}
	var found []struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	}
	if err := json.Unmarshal(out, &found); err != nil {
		return nil, fmt.Errorf("reading the list of Python plugin packages: %w", err)
	}
	byKey := map[string]*pulumirpc.PackageDependency{}
	for _, f := range found {
		if !f.Resource || f.Name == "" {
			continue
		}
		v := f.Version
		if v != "" && !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		byKey[f.Name+"@"+v] = &pulumirpc.PackageDependency{Name: f.Name, Kind: "resource", Version: v, Server: f.Server}
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

// Run executes the program with pythonrun.py: `python -u -c <entry> --monitor ... <program> [args]`.
func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program info"}, nil
	}
	o, err := parsePythonOptions(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	python, venv, err := pythonFor(info, o)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := pythonConfigEnv(req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not pass the configuration: " + err.Error()}, nil
	}
	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()

	args := []string{"-u", "-c", pythonRunScript}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engine)
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("organization", req.GetOrganization())
	add("root-directory", info.GetRootDirectory())
	if req.GetParallel() > 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, filepath.Join(info.GetProgramDirectory(), entry))
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(python, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(venvEnv(os.Environ(), venv), env...)
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return h.runChild(ctx, cmd, "python")
}

// runChild starts a program's process, interrupts it when the engine cancels, and turns its exit into a RunResponse.
func (h *host) runChild(ctx context.Context, cmd *exec.Cmd, what string) (*pulumirpc.RunResponse, error) {
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: "could not start " + what + ": " + err.Error()}, nil
	}
	h.track(cmd, true)
	defer h.track(cmd, false)
	stopOnDone := context.AfterFunc(ctx, func() { _ = cmd.Process.Signal(os.Interrupt) })
	defer stopOnDone()
	err := cmd.Wait()
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

// RunPlugin: plugins written in Python are not supported by this host.
func (h *pythonHost) RunPlugin(req *pulumirpc.RunPluginRequest, _ pulumirpc.LanguageRuntime_RunPluginServer) error {
	return status.Error(codes.Unimplemented, "pulumi-restore's Python language host runs programs, not plugins")
}

// installStreams sends a child's output as InstallDependencies messages.
func installStreams(server pulumirpc.LanguageRuntime_InstallDependenciesServer) (io.Writer, io.Writer) {
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	return stdout, stderr
}

// InstallDependencies makes the project's virtualenv (when missing) and installs requirements.txt into it with pip.
// pip uses its own index settings and cache; with everything cached it needs no network.
func (h *pythonHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	ctx := server.Context()
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	o, err := parsePythonOptions(info.GetOptions())
	if err != nil {
		return err
	}
	venv := venvDir(info, o)
	if info.GetRootDirectory() == "" && info.GetProgramDirectory() == "" {
		venv = filepath.Join(dir, o.virtualenv)
	}
	stdout, stderr := installStreams(server)
	run := func(name string, args ...string) error {
		_, _ = fmt.Fprintf(stdout, "$ %s %s\n", name, strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = venvEnv(os.Environ(), venv)
		cmd.Stdout, cmd.Stderr = stdout, stderr
		return cmd.Run()
	}
	py := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		base := os.Getenv("PULUMI_PYTHON_CMD")
		if base == "" {
			base = "python3"
		}
		if err := run(base, "-m", "venv", venv); err != nil {
			return fmt.Errorf("making the virtualenv %s with %s failed: %w", venv, base, err)
		}
	}
	reqs := filepath.Join(dir, "requirements.txt")
	if _, err := os.Stat(reqs); err != nil {
		_, _ = fmt.Fprintf(stdout, "no requirements.txt in %s: nothing more to install\n", dir)
		return nil
	}
	if err := run(py, "-m", "pip", "install", "--disable-pip-version-check", "-r", reqs); err != nil {
		return fmt.Errorf("pip install -r %s failed: %w", reqs, err)
	}
	return nil
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	o, err := parsePythonOptions(req.GetInfo().GetOptions())
	if err != nil {
		return nil, err
	}
	python, _, err := pythonFor(req.GetInfo(), o)
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, python, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", python, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: python,
		Version:    strings.TrimSpace(strings.TrimPrefix(string(out), "Python ")),
		Metadata:   map[string]string{"toolchain": "pip", "languageHost": "pulumi-restore " + version},
	}, nil
}

// GetProgramDependencies lists the distributions installed in the program's environment (`pip list`).
func (h *pythonHost) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	o, err := parsePythonOptions(req.GetInfo().GetOptions())
	if err != nil {
		return nil, err
	}
	python, venv, err := pythonFor(req.GetInfo(), o)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, python, "-m", "pip", "list", "--format", "json", "--disable-pip-version-check")
	cmd.Env = venvEnv(os.Environ(), venv)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("pip list (%s): %w", python, err)
	}
	var list []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		return nil, fmt.Errorf("reading pip list: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(list))
	for _, d := range list {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: d.Name, Version: d.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// Link adds the generated SDKs the engine hands over (`pulumi install` / `pulumi package add` for the `packages` of
// Pulumi.yaml, generated under sdks/) to requirements.txt as local paths, unless a line names them already; the
// following InstallDependencies installs them into the virtualenv.
func (h *pythonHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		return nil, errors.New("Link: no program directory")
	}
	reqs := filepath.Join(dir, "requirements.txt")
	content, err := os.ReadFile(reqs)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	have := map[string]bool{}
	for _, line := range strings.Split(string(content), "\n") {
		have[strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "./"), "/")] = true
	}
	var added, imports []string
	for _, p := range req.GetPackages() {
		rel := filepath.ToSlash(filepath.Clean(p.GetPath()))
		if !have[rel] {
			added = append(added, "./"+rel)
			have[rel] = true
		}
		name := strings.ReplaceAll(p.GetPackage().GetName(), "-", "_")
		imports = append(imports, fmt.Sprintf("import pulumi_%s as %s", name, name))
	}
	if len(added) > 0 {
		text := string(content)
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		text += strings.Join(added, "\n") + "\n"
		if err := os.WriteFile(reqs, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "To use the generated SDK in Python:\n\n  " +
		strings.Join(imports, "\n  ")}, nil
}
