package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
)

// generator produces an SDK's files (relative path to content) from a bound schema, with Pulumi's code generator for
// one language (github.com/pulumi/pulumi/pkg/v3/codegen/<language>, the same code Pulumi's own hosts call).
type generator func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
	loader schema.ReferenceLoader) (map[string][]byte, error)

// toolName is the name the generators write into the files' "do not edit" header.
const toolName = "pulumi-restore langhost"

func generatePython(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
	loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	return pythongen.GeneratePackage(toolName, pkg, req.GetExtraFiles(), loader)
}

func generateGo(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
	_ schema.ReferenceLoader,
) (map[string][]byte, error) {
	// A generated Go SDK is used from a local directory (a replace directive), so it must be a module of its own: the
	// generator writes a go.mod, with import paths that match its directories, only for a package that "supports
	// packing". Without it (and without language.go.importBasePath in the schema) the generated imports name a
	// directory the generator does not write.
	pkg.SupportPack = true
	files, err := gogen.GeneratePackage(toolName, pkg, req.GetLocalDependencies())
	if err != nil {
		return nil, err
	}
	for k, v := range req.GetExtraFiles() {
		files[k] = v
	}
	return files, nil
}

func generateNodejs(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
	loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	return nodejsgen.GeneratePackage(toolName, pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(),
		loader)
}

// generatePackage answers GeneratePackage (`pulumi package gen-sdk`, `pulumi package add`): it binds the schema the
// engine sends (loading referenced packages through the engine's schema loader) and writes the generated SDK into the
// requested directory.
func generatePackage(ctx context.Context, req *pulumirpc.GeneratePackageRequest,
	gen generator,
) (*pulumirpc.GeneratePackageResponse, error) {
	if req.GetDirectory() == "" {
		return nil, fmt.Errorf("GeneratePackage: no output directory")
	}
	var loader schema.ReferenceLoader
	if target := req.GetLoaderTarget(); target != "" {
		client, err := schema.NewLoaderClient(target)
		if err != nil {
			return nil, fmt.Errorf("connecting to the engine's schema loader: %w", err)
		}
		defer client.Close()
		loader = schema.NewCachedLoader(client)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("reading the package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpecWithContext(ctx, spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("binding the package schema: %w", err)
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}
	files, err := gen(pkg, req, loader)
	if err != nil {
		return nil, fmt.Errorf("generating the SDK: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}

func (h *host) GeneratePackage(ctx context.Context,
	req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return generatePackage(ctx, req, generateNodejs)
}

func (h *pythonHost) GeneratePackage(ctx context.Context,
	req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return generatePackage(ctx, req, generatePython)
}

// programGenerator turns a bound PCL program into source files (Pulumi's program generators).
type programGenerator func(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error)

// generateProgram answers GenerateProgram, which `pulumi import` calls to write the code of the resources it imported
// (and `pulumi convert`): it parses and binds the PCL the engine sends (schemas through the engine's loader) and hands
// the program to Pulumi's generator for the language.
func generateProgram(ctx context.Context, req *pulumirpc.GenerateProgramRequest,
	gen programGenerator,
) (*pulumirpc.GenerateProgramResponse, error) {
	if req.GetLoaderTarget() == "" {
		return nil, errors.New("GenerateProgram: the engine sent no schema loader")
	}
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, fmt.Errorf("connecting to the engine's schema loader: %w", err)
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	parser := syntax.NewParser()
	names := make([]string, 0, len(req.GetSource()))
	for name := range req.GetSource() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(req.GetSource()[name]), name); err != nil {
			return nil, err
		}
	}
	if parser.Diagnostics.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{
			Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics),
		}, nil
	}
	var opts []pcl.BindOption
	if !req.GetStrict() {
		opts = pcl.NonStrictBindOptions()
	}
	program, diags, err := pcl.BindProgramWithContext(ctx, parser.Files, loader, opts...)
	if err != nil {
		return nil, fmt.Errorf("binding the program: %w", err)
	}
	if diags.HasErrors() || program == nil {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, genDiags, err := gen(program)
	if err != nil {
		return nil, fmt.Errorf("generating the program: %w", err)
	}
	diags = append(diags, genDiags...)
	return &pulumirpc.GenerateProgramResponse{
		Source:      files,
		Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags),
	}, nil
}

func (h *host) GenerateProgram(ctx context.Context,
	req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return generateProgram(ctx, req, nodejsgen.GenerateProgram)
}

func (h *pythonHost) GenerateProgram(ctx context.Context,
	req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return generateProgram(ctx, req, pythongen.GenerateProgram)
}

func (h *goHost) GenerateProgram(ctx context.Context,
	req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return generateProgram(ctx, req, gogen.GenerateProgram)
}
