package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
