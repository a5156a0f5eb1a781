// Command pulumi-restore-go restores a StarRocks backup into a new instance, through the pulumi-restore provider
// plugin. `pulumi destroy` releases the restored instance; the backup is never touched. The resource type comes from
// the SDK generated from the plugin's schema (sdks/pulumi-restore, made by `pulumi install`).
package main

import (
	"example.com/pulumi-pulumi-restore/sdk/go/pulumirestore/alicloud/starrocks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		backup := cfg.Get("backupTaskId")
		if backup == "" {
			backup = "bk-quickstart01"
		}
		restored, err := starrocks.NewRestoredInstance(ctx, "analytics-dr", &starrocks.RestoredInstanceArgs{
			BackupTaskId:  pulumi.String(backup),
			InstanceName:  pulumi.String("analytics-dr"),
			AdminPassword: cfg.GetSecret("adminPassword"),
			Tags:          pulumi.StringMap{"team": pulumi.String("data-platform"), "purpose": pulumi.String("dr-rehearsal")},
		},
			// Honoured by the plugin: the engine passes them to the provider, which stops waiting when they run out.
			pulumi.Timeouts(&pulumi.CustomTimeouts{Create: cfg.Get("createTimeout"), Delete: "1h"}),
		)
		if err != nil {
			return err
		}
		ctx.Export("instanceId", restored.InstanceId)
		ctx.Export("status", restored.Status)
		ctx.Export("restoreToken", restored.RestoreToken)
		return nil
	})
}
