package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// These cover the hosts' pure parts; tests/cli/plugin-languages.test.ts runs them through the CLI and engine.
// Run with: cd tools/langhost && go test .

func TestRuntimeFromName(t *testing.T) {
	for arg0, want := range map[string]string{
		"/x/bin/pulumi-language-python": "python",
		"pulumi-language-go":            "go",
		"pulumi-language-nodejs":        "nodejs",
		"/tmp/langhost":                 "nodejs",
	} {
		if got := runtimeFromName(arg0); got != want {
			t.Errorf("runtimeFromName(%q) = %q, want %q", arg0, got, want)
		}
	}
}

func TestGoRunEnvUsesTheGoSDKNames(t *testing.T) {
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:1", Project: "p", Stack: "s", Organization: "o", DryRun: true, Parallel: 4,
		Config:           map[string]string{"p:backupTaskId": "bk-1", "pulumi-restore:alicloud": `{"region":"r"}`},
		ConfigSecretKeys: []string{"p:adminPassword"},
		Info:             &pulumirpc.ProgramInfo{RootDirectory: "/root-dir"},
	}
	env, err := goRunEnv(req, "127.0.0.1:2")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(env, "\n")
	for _, want := range []string{
		"PULUMI_MONITOR=127.0.0.1:1", "PULUMI_ENGINE=127.0.0.1:2", "PULUMI_PROJECT=p", "PULUMI_STACK=s",
		"PULUMI_ORGANIZATION=o", "PULUMI_ROOT_DIRECTORY=/root-dir", "PULUMI_DRY_RUN=true", "PULUMI_PARALLEL=4",
		`PULUMI_CONFIG={"p:backupTaskId":"bk-1","pulumi-restore:alicloud":"{\"region\":\"r\"}"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["p:adminPassword"]`,
	} {
		if !strings.Contains(joined+"\n", want+"\n") {
			t.Errorf("missing %s in\n%s", want, joined)
		}
	}
}

func TestPythonLinkAddsEachSDKOnce(t *testing.T) {
	dir := t.TempDir()
	reqs := filepath.Join(dir, "requirements.txt")
	if err := os.WriteFile(reqs, []byte("pulumi==3.272.0\n./sdks/other"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := &pythonHost{newHost("")}
	link := &pulumirpc.LinkRequest{
		Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir},
		Packages: []*pulumirpc.LinkRequest_LinkDependency{
			{Package: &pulumirpc.PackageDependency{Name: "pulumi-restore"}, Path: "sdks/pulumi-restore"},
			{Package: &pulumirpc.PackageDependency{Name: "other"}, Path: "sdks/other"},
		},
	}
	for i := 0; i < 2; i++ {
		resp, err := h.Link(context.Background(), link)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(resp.GetImportInstructions(), "import pulumi_pulumi_restore as pulumi_restore") {
			t.Errorf("instructions: %s", resp.GetImportInstructions())
		}
	}
	b, err := os.ReadFile(reqs)
	if err != nil {
		t.Fatal(err)
	}
	if want := "pulumi==3.272.0\n./sdks/other\n./sdks/pulumi-restore\n"; string(b) != want {
		t.Errorf("requirements.txt = %q, want %q", b, want)
	}
}

func TestGetRequiredPluginsMirrorsPackages(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "node_modules", "pulumi-restore")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	pj := `{"name":"pulumi-restore","version":"0.1.0","pulumi":{"resource":true}}`
	if err := os.WriteFile(filepath.Join(pkg, "package.json"), []byte(pj), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHost("")
	resp, err := h.GetRequiredPlugins(context.Background(), &pulumirpc.GetRequiredPluginsRequest{
		Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetPlugins()) != 1 || resp.GetPlugins()[0].GetName() != "pulumi-restore" ||
		resp.GetPlugins()[0].GetVersion() != "v0.1.0" || resp.GetPlugins()[0].GetKind() != "resource" {
		t.Errorf("plugins = %v", resp.GetPlugins())
	}
}

// A plugin outlives the end of its RunPlugin stream by the grace period (the engine's Cancel RPC can come after the
// stream ends: `pulumi install`), then is interrupted.
func TestPluginOutlivesItsStreamByTheGrace(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep:", err)
	}
	ctx, end := context.WithCancel(context.Background())
	exited := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		stopAfterStream(ctx, cmd.Process, exited, 400*time.Millisecond)
		close(stopped)
	}()
	waited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		close(exited)
		waited <- err
	}()
	start := time.Now()
	end()
	select {
	case <-waited:
		t.Fatal("the plugin stopped with its stream, before the grace period")
	case <-time.After(200 * time.Millisecond):
	}
	select {
	case err := <-waited:
		if err == nil {
			t.Error("sleep 30 exited by itself")
		}
		if d := time.Since(start); d < 400*time.Millisecond {
			t.Errorf("stopped after %v, before the grace period", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the plugin was not stopped after the grace period")
	}
	<-stopped
}

// A plugin directory without a package.json of its own is not npm-installed when the SDK resolves from it (npm would
// reinstall the package around it).
func TestInstallDependenciesSkipsAPluginInsideItsPackage(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	root := t.TempDir()
	sdk := filepath.Join(root, "node_modules", "@pulumi", "pulumi")
	if err := os.MkdirAll(sdk, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sdk, "package.json"), []byte(`{"name":"@pulumi/pulumi"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	plugin := filepath.Join(root, "plugin")
	if err := os.MkdirAll(plugin, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := &installServer{ctx: context.Background()}
	req := &pulumirpc.InstallDependenciesRequest{
		Info: &pulumirpc.ProgramInfo{ProgramDirectory: plugin}, IsPlugin: true,
	}
	if err := newHost("").InstallDependencies(req, srv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(srv.out.String(), "nothing to install") {
		t.Errorf("output: %q", srv.out.String())
	}
	if _, err := os.Stat(filepath.Join(root, "package-lock.json")); err == nil {
		t.Error("npm ran in the package around the plugin")
	}
}

// installServer collects what InstallDependencies streams.
type installServer struct {
	pulumirpc.LanguageRuntime_InstallDependenciesServer
	ctx context.Context
	out strings.Builder
}

func (s *installServer) Context() context.Context { return s.ctx }

func (s *installServer) Send(r *pulumirpc.InstallDependenciesResponse) error {
	s.out.Write(r.GetStdout())
	s.out.Write(r.GetStderr())
	return nil
}
