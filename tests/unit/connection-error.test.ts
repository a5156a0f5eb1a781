import { strict as assert } from "assert";
import { ApiCaller } from "../../provider/core/http";

describe("a request that reaches nothing says where it went and what to check", () => {
    it("connection refused: the endpoint's origin (never its query), and the endpoint and emulator hint", async () => {
        const caller = new ApiCaller({ allowPlainHttp: true });
        await assert.rejects(
            caller.call({
                cloud: "jdcloud rds",
                action: "describeInstances",
                idempotent: true,
                build: () => ({
                    method: "GET",
                    url: "http://127.0.0.1:9/v1/regions/cn-north-1/instances?sig=abcdef123456",
                    headers: {},
                }),
                parse: () => undefined,
            }),
            (e: Error) => {
                assert.match(e.message, /connection failed \(ECONNREFUSED\) to http:\/\/127\.0\.0\.1:9\b/);
                assert.match(e.message, /check the cloud's endpoint and region settings.*emulator.*new ports/);
                assert.ok(!e.message.includes("abcdef123456"), "the query is not shown");
                return true;
            },
        );
    });
});
