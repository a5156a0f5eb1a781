/**
 * `pulumi import` of `alicloud.starrocks.RestoredInstance`: the import id is the instance id. DescribeInstances reports
 * everything the inputs need (the instance is recorded as adopted, so no backup is required); the provider's
 * `importRead` reads it.
 */
import { StarRocksProvider } from "./starrocksProvider";
import type { Importer } from "../core/importer";
import { parseImportId } from "../core/importId";

/** Reads an existing StarRocks instance (`<instanceId>`). */
export const importer: Importer = async (id, ctx) => {
    const { instanceId } = parseImportId(id, [
        {
            name: "instanceId",
            pattern: /^c-[A-Za-z0-9]{4,64}$/,
            format: 'a StarRocks instance id such as "c-b25e21e243889abc"',
        },
    ]);
    const p = new StarRocksProvider();
    await p.configure({ config: ctx.config });
    return p.importRead(instanceId as string);
};
